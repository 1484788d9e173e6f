"""The server entry: the dashboard (dashboard.py and pages/), the data API and security headers.

`streamlit run app.py` (what scripts/start does) serves the pages as `streamlit run dashboard.py`
would, plus `/api/v1/` in the same process and with the same data cache (components/web.py).
"""

import streamlit as st
from starlette.middleware import Middleware

from components.web import api_routes, middleware_classes

app = st.App(
    "dashboard.py",
    routes=api_routes(),
    middleware=[Middleware(cls) for cls in middleware_classes()],
)
