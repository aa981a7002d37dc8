"""Planning assistance: where a campaign can go (slot finder), pushing what follows (ripple), and
re-planning a window with a solver (optimiser). Every answer is checked by the conflict engine."""
