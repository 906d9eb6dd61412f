"""The framework floor: the smallest Flask app, served the same way as the real one."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello, World!"
