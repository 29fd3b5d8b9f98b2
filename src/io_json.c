/* io_json.c: to be written. */
