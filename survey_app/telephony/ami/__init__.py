"""The AMI client on pyst2: the wire format, one session, and the bridge that keeps it logged
in. Sockets and threads, no Flask, no database."""
