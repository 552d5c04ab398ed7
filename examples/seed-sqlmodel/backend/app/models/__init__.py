from sqlmodel import SQLModel  # noqa: F401 (env.py takes the metadata from here)

from .item import Item  # noqa: F401
from .user import User  # noqa: F401
