"""The shipped Jinja2 templates and stylesheet; a package only so that installs carry them."""
