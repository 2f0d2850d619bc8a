"""The tests' live server closes what a response opened even when the browser drops the
connection (a page left while its scripts load): the leak failed browser tests now and then."""
import gc
import socket
import struct
import time


def test_a_static_file_is_closed_when_the_browser_resets_the_connection(live_server):
    port = int(live_server.rsplit(":", 1)[1])
    for _ in range(50):
        with socket.create_connection(("127.0.0.1", port)) as browser:
            browser.sendall(b"GET /static/js/telephony.js HTTP/1.1\r\nHost: t\r\n\r\n")
            browser.recv(100)  # the file is open and being sent...
            browser.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    time.sleep(0.5)  # ...and the reset reaches the server while it reads what is left
    gc.collect()  # an unclosed file would warn here: filterwarnings = error fails the test
