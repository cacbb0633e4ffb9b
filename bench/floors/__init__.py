"""The floors ``bench/serve_load.py`` measures ``actionbot serve`` against, each run as its own process."""
