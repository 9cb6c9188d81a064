"""`labeling-analytics load`: export files into the `landing` source of PostgreSQL or Spark."""
