from datetime import datetime
from typing import Optional

from sqlmodel import Field, SQLModel


class User(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    email: str = Field(unique=True, index=True, max_length=255)
    is_active: bool = True
    is_superuser: bool = False
    hashed_password: str
    last_login: Optional[datetime] = None
    bio: Optional[str] = Field(default=None, max_length=255)


class Category(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)


class Item(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    title: str = Field(max_length=255)
    description: Optional[str] = Field(default=None, max_length=255)
    owner_id: int = Field(foreign_key="user.id")
    priority: Optional[int] = None
    price: float
    category_id: Optional[int] = Field(default=None, foreign_key="category.id")
    status: Optional[str] = Field(default=None, max_length=20)
    tags: Optional[str] = Field(default=None, max_length=255)
    archived_at: Optional[datetime] = None
