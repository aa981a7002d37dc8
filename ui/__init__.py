"""The Qt desktop application (PySide6 + pyqtgraph) on top of the scheduling core."""
