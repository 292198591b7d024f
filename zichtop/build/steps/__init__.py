"""The build's named steps, one module each (listed in zichtop/build/pipeline.py). Imports core,
indicators, method and the build."""
