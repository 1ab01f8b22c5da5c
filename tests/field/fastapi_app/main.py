"""A FastAPI app as people write it from the tutorial: a Pydantic model, an in-memory store,
list/create/read/update/delete, and FastAPI's defaults (/openapi.json, /docs, {"detail": ...}
errors). Nothing in it is shaped for the conformance harness."""
from typing import Dict, List, Optional

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, Field

app = FastAPI(title="Inventory", version="0.1.0")


class ItemIn(BaseModel):
    name: str = Field(..., min_length=1, max_length=100, example="hammer")
    description: Optional[str] = None
    price: float = Field(..., gt=0, example=9.5)
    tags: List[str] = []


class Item(ItemIn):
    id: int


items: Dict[int, Item] = {}
next_id = 1


def _add(data: ItemIn) -> Item:
    global next_id
    item = Item(id=next_id, **data.dict())
    items[next_id] = item
    next_id += 1
    return item


for i in range(1, 31):
    _add(ItemIn(name=f"item {i}", price=float(i), tags=["seed"]))


@app.get("/items", response_model=List[Item])
def list_items(skip: int = 0, limit: int = 10):
    return list(items.values())[skip : skip + limit]


@app.post("/items", response_model=Item, status_code=201)
def create_item(item: ItemIn):
    return _add(item)


@app.get("/items/{item_id}", response_model=Item)
def read_item(item_id: int):
    if item_id not in items:
        raise HTTPException(status_code=404, detail="Item not found")
    return items[item_id]


@app.put("/items/{item_id}", response_model=Item)
def update_item(item_id: int, item: ItemIn):
    if item_id not in items:
        raise HTTPException(status_code=404, detail="Item not found")
    items[item_id] = Item(id=item_id, **item.dict())
    return items[item_id]


@app.delete("/items/{item_id}", status_code=204)
def delete_item(item_id: int):
    if item_id not in items:
        raise HTTPException(status_code=404, detail="Item not found")
    del items[item_id]


@app.get("/health")
def health():
    return {"status": "ok"}
