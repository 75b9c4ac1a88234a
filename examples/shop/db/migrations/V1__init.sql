-- Initial schema of the shop database (Flyway migration).

CREATE TABLE customers (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email       text        NOT NULL UNIQUE,
    full_name   text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE products (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sku          text        NOT NULL UNIQUE,
    name         text        NOT NULL,
    price_cents  integer     NOT NULL CHECK (price_cents >= 0),
    stock        integer     NOT NULL DEFAULT 0 CHECK (stock >= 0),
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE orders (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id  bigint      NOT NULL REFERENCES customers (id),
    currency     char(3),
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE order_items (
    order_id     bigint  NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    product_id   bigint  NOT NULL REFERENCES products (id),
    quantity     integer NOT NULL CHECK (quantity > 0),
    reserved     boolean NOT NULL DEFAULT false,
    PRIMARY KEY (order_id, product_id)
);
