"""The build's named steps, one module each; zichtop/store.py lists them once (STEPS) and runs
them into a temporary database file that is swapped in."""
