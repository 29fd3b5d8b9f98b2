/* ruleset.c: to be written. */
