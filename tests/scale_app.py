"""The app as one of several processes behind a load balancer (tests/test_scale_out.py): everything as
in production except plain HTTP, with a small login limit and its own Redis key prefix from the environment."""

import os

from wizard import create_app

app = create_app({"LOGIN_ADDRESS_LIMIT": os.environ["WIZARD_LOGIN_LIMIT"],
                  "RATELIMIT_KEY_PREFIX": os.environ["WIZARD_LIMIT_PREFIX"]})
