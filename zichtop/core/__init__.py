"""Shared ground of every layer: errors, settings (every environment variable), periods,
area codes and levels, credits. Imports nothing else of zichtop."""
