"""Pure: raw AMI events in, call events out (the translator, channel names, dial strings,
click-to-call outcomes). No Flask, no database, no I/O."""
