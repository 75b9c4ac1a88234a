"""Shop API: catalogue, carts and orders."""
import os

import psycopg
import redis
from fastapi import FastAPI, HTTPException

app = FastAPI(title="shop-api")

DATABASE_URL = os.environ["DATABASE_URL"]
cache = redis.Redis.from_url(os.environ.get("REDIS_URL", "redis://localhost:6379/0"))


@app.get("/healthz")
def healthz():
    return {"status": "ok"}


@app.get("/products/{product_id}")
def get_product(product_id: int):
    cached = cache.get(f"product:{product_id}")
    if cached:
        return {"id": product_id, "cached": True, "data": cached.decode()}
    with psycopg.connect(DATABASE_URL) as conn:
        row = conn.execute(
            "SELECT id, sku, name, price_cents FROM products WHERE id = %s",
            (product_id,),
        ).fetchone()
    if row is None:
        raise HTTPException(status_code=404, detail="no such product")
    return {"id": row[0], "sku": row[1], "name": row[2], "price_cents": row[3]}


@app.post("/orders")
def create_order(customer_id: int, items: list[dict]):
    with psycopg.connect(DATABASE_URL) as conn:
        order_id = conn.execute(
            "INSERT INTO orders (customer_id, currency) VALUES (%s, 'EUR') RETURNING id",
            (customer_id,),
        ).fetchone()[0]
        for item in items:
            conn.execute(
                "INSERT INTO order_items (order_id, product_id, quantity) VALUES (%s, %s, %s)",
                (order_id, item["product_id"], item["quantity"]),
            )
    cache.lpush("jobs:order-created", order_id)
    return {"id": order_id}
