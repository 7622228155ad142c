"""The application: the command line (arguments -> Project and BuildOptions), the progress
display and watch."""
