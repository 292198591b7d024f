"""One module per view, each registered with dash.register_page; callbacks live beside layouts."""
