"""The scheduling core: domain, rules, storage, Excel, service and command line. No Qt here."""
