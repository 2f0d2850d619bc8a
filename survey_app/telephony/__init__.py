"""Telephony: the AMI bridge, call events, the bus to the operators' pages, call control."""
