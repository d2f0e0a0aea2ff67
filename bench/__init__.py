"""`make bench`: Sharebox's costs measured as ratios against their floors in the same run."""
