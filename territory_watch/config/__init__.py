"""What the user configures: environment variables, and dates given on the command line."""
