"""The build's named steps, one module each (listed in zichtop/pipeline/run.py). Imports core,
indicators, method and the pipeline."""
