"""The bundled example project (examples/fastapi-sqlmodel): the FastAPI full-stack template layout, one
chain where every rule fires. Played by scripts/gen_fixtures.py like a fixture case."""
from __future__ import annotations

from fixture_kit import (
    Autogen,
    Edit,
    Example,
    Expect,
    Models,
    Revision,
    Upgrade,
    call,
    hand_written,
    header,
    in_file,
    models,
    rev_id,
    use,
    var,
)

EX_REL = "examples/fastapi-sqlmodel"

EX_HEADER = '''\
from datetime import datetime
from typing import Optional

from sqlmodel import Field, SQLModel
'''


def ex_models(user_extra: tuple[str, ...] = (), item_extra: tuple[str, ...] = (),
              user_drop: tuple[str, ...] = (), category: bool = False) -> str:
    user = {
        "id": "id: Optional[int] = Field(default=None, primary_key=True)",
        "email": "email: str = Field(unique=True, index=True, max_length=255)",
        "is_active": "is_active: bool = True",
        "is_superuser": "is_superuser: bool = False",
        "full_name": "full_name: Optional[str] = Field(default=None, max_length=255)",
        "hashed_password": "hashed_password: str",
    }
    ulines = [v for k, v in user.items() if k not in user_drop] + list(user_extra)
    ilines = [
        "id: Optional[int] = Field(default=None, primary_key=True)",
        "title: str = Field(max_length=255)",
        "description: Optional[str] = Field(default=None, max_length=255)",
        'owner_id: int = Field(foreign_key="user.id")',
        *item_extra,
    ]
    classes = [
        "class User(SQLModel, table=True):\n" + "".join(f"    {x}\n" for x in ulines),
    ]
    if category:
        classes.append(
            "class Category(SQLModel, table=True):\n"
            "    id: Optional[int] = Field(default=None, primary_key=True)\n"
            "    name: str = Field(max_length=100)\n"
        )
    classes.append("class Item(SQLModel, table=True):\n" + "".join(f"    {x}\n" for x in ilines))
    return models(*classes, header=EX_HEADER)


def ex_path(key: str, slug: str) -> str:
    return f"backend/app/alembic/versions/{rev_id(EX_REL, key)}_{slug}.py"


EX_CAT = ('category_id: Optional[int] = Field(default=None, foreign_key="category.id")',)

EXAMPLE = Example(
    rel=EX_REL,
    project="backend",
    script_location="app/alembic",
    models_module="app.models",
    summary="A FastAPI full-stack template backend whose migration history makes every rule fire.",
    mako="stock",
    extra_files={
        "backend/app/__init__.py": "",
        "backend/pyproject.toml": '''\
[project]
name = "app"
version = "0.1.0"
description = "Example backend for migration-lint: FastAPI + SQLModel + Alembic"
requires-python = ">=3.10"
dependencies = [
    "fastapi[standard]>=0.114.2,<1.0.0",
    "sqlmodel>=0.0.8,<1.0.0",
    "alembic>=1.8.1,<2.0.0",
    "psycopg[binary]>=3.1.13,<4.0.0",
]
''',
    },
    steps=[
        Models(ex_models()),
        Autogen("initialize-models", "initialize models"),
        Models(ex_models(item_extra=("priority: Optional[int] = None",))),
        Autogen("update", "update"),
        Models(ex_models(item_extra=("priority: Optional[int] = None", "price: float"))),
        Autogen("add-item-price", "add item price"),
        Models(ex_models(item_extra=("priority: Optional[int] = None", "price: float", *EX_CAT),
                         category=True)),
        Autogen("add-category-table", "add category table"),
        Models(ex_models(item_extra=("priority: Optional[int] = None", "price: float", *EX_CAT),
                         category=True, user_drop=("full_name",))),
        Autogen("remove-user-full-name", "remove user full name"),
        Models(ex_models(item_extra=("priority: Optional[int] = None", "price: float", *EX_CAT,
                                     "status: Optional[str] = Field(default=None, max_length=20)"),
                         category=True, user_drop=("full_name",))),
        Autogen("add-item-status", "add item status", parent="add-category-table", upgrade=False),
        Edit("add item status: written on a branch from `add category table`, then 'rebased' by "
             "editing `down_revision` to `remove user full name`; the `Revises:` header is stale",
             lambda c: c.replace("add-item-status",
                                 f"down_revision = '{c.rev('add-category-table')}'",
                                 f"down_revision = '{c.rev('remove-user-full-name')}'")),
        Edit("add item status: added a backfill `op.execute(\"UPDATE item SET status = 'active'\")` "
             "by hand",
             lambda c: c.insert_before("add-item-status", "# ### end Alembic commands ###",
                                       "    op.execute(\"UPDATE item SET status = 'active'\")")),
        Upgrade(),
        Autogen("add-user-nickname", "add user nickname"),  # models not saved yet: empty
        Revision("add-item-title-index", "add item title index"),
        Edit("add item title index: plain `alembic revision`, upgrade()/downgrade() written by hand",
             hand_written("add-item-title-index",
                          'op.create_index("ix_item_title", "item", ["title"])\n',
                          'op.drop_index("ix_item_title", table_name="item")\n')),
        Upgrade(),
        Models(ex_models(item_extra=("priority: Optional[int] = None", "price: float", *EX_CAT,
                                     "status: Optional[str] = Field(default=None, max_length=20)"),
                         category=True, user_drop=("full_name",),
                         user_extra=("last_login: Optional[datetime] = None",))),
        Autogen("add-user-last-login", "add user last login"),
        Models(ex_models(item_extra=("priority: Optional[int] = None", "price: float", *EX_CAT,
                                     "status: Optional[str] = Field(default=None, max_length=20)",
                                     "tags: Optional[str] = Field(default=None, max_length=255)"),
                         category=True, user_drop=("full_name",),
                         user_extra=("last_login: Optional[datetime] = None",))),
        Autogen("add-item-tags", "add item tags", parent="add-item-title-index"),
        Models(ex_models(item_extra=("priority: Optional[int] = None", "price: float", *EX_CAT,
                                     "status: Optional[str] = Field(default=None, max_length=20)",
                                     "tags: Optional[str] = Field(default=None, max_length=255)",
                                     "archived_at: Optional[datetime] = None"),
                         category=True, user_drop=("full_name",),
                         user_extra=("last_login: Optional[datetime] = None",))),
        Autogen("add-item-archived-at", "add item archived at", parent="add-item-tags"),
        Models(ex_models(item_extra=("priority: Optional[int] = None", "price: float", *EX_CAT,
                                     "status: Optional[str] = Field(default=None, max_length=20)",
                                     "tags: Optional[str] = Field(default=None, max_length=255)",
                                     "archived_at: Optional[datetime] = None"),
                         category=True, user_drop=("full_name",),
                         user_extra=("last_login: Optional[datetime] = None",
                                     "avatar_url: Optional[str] = Field(default=None, max_length=255)"))),
        Autogen("add-user-avatar-url", "add user avatar url", parent="add-user-last-login"),
        Models(ex_models(item_extra=("priority: Optional[int] = None", "price: float", *EX_CAT,
                                     "status: Optional[str] = Field(default=None, max_length=20)",
                                     "tags: Optional[str] = Field(default=None, max_length=255)",
                                     "archived_at: Optional[datetime] = None"),
                         category=True, user_drop=("full_name",),
                         user_extra=("last_login: Optional[datetime] = None",
                                     "avatar_url: Optional[str] = Field(default=None, max_length=255)",
                                     "bio: Optional[str] = Field(default=None, max_length=255)"))),
        Autogen("add-user-bio", "add user bio", parent="add-user-last-login",
                depends_on="add-user-avatar-url"),
        Edit("add item archived at: truncated mid-call (an editor crash), right after "
             "`sa.Column('archived_at',`",
             lambda c: c.truncate("add-item-archived-at", "sa.Column('archived_at',")),
        Edit("add user avatar url: file deleted (that branch was dropped); add user bio still "
             "names it in `depends_on`", lambda c: c.delete("add-user-avatar-url")),
        # ...and the dropped branch's field leaves the models too (final models.py).
        Models(ex_models(item_extra=("priority: Optional[int] = None", "price: float", *EX_CAT,
                                     "status: Optional[str] = Field(default=None, max_length=20)",
                                     "tags: Optional[str] = Field(default=None, max_length=255)",
                                     "archived_at: Optional[datetime] = None"),
                         category=True, user_drop=("full_name",),
                         user_extra=("last_login: Optional[datetime] = None",
                                     "bio: Optional[str] = Field(default=None, max_length=255)"))),
        Edit("add item price: file duplicated as `<rev>_add_item_price copy.py`",
             lambda c: c.copy("add-item-price", "add-item-price-copy",
                              c.path("add-item-price").stem + " copy.py")),
    ],
    expect=[],  # filled in below, once the helpers exist
)

EXAMPLE.expect = [
    Expect("missing-sqlmodel-import", [use("initialize-models")]),
    Expect("template-missing-sqlmodel-import", [in_file("backend/app/alembic/script.py.mako")]),
    Expect("vague-message", [in_file(ex_path("update", "update"))]),
    Expect("not-null-without-default", [call("add-item-price", "op.add_column(")]),
    Expect("unnamed-constraint", [call("add-category-table", "op.create_foreign_key(")]),
    Expect("destructive-operation", [call("remove-user-full-name", "op.drop_column(")]),
    Expect("raw-sql", [call("add-item-status", "op.execute(")]),
    Expect("revision-mismatch", [var("add-item-status", "down_revision"),
                                 header("add-item-status", "Revises:")]),
    Expect("empty-migration", [in_file(ex_path("add-user-nickname", "add_user_nickname"))]),
    Expect("manual-migration", [in_file(ex_path("add-item-title-index", "add_item_title_index"))]),
    Expect("multiple-heads", [var("add-user-bio", "revision"), var("add-user-bio", "down_revision"),
                              var("add-item-archived-at", "revision"),
                              var("add-item-archived-at", "down_revision")]),
    Expect("unknown-down-revision", [var("add-user-bio", "depends_on")]),
    Expect("duplicate-revision", [var("add-item-price", "revision"),
                                  var("add-item-price-copy", "revision")]),
    Expect("parse-error", [in_file(ex_path("add-item-archived-at", "add_item_archived_at"))]),
]
