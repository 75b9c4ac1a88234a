-- Order history pages were slow: look up a customer's orders by index.
CREATE INDEX idx_orders_customer_id ON orders (customer_id);

-- Stock reservation looks order items up by product.
CREATE INDEX IF NOT EXISTS idx_order_items_product_id ON order_items (product_id);

-- Data fix: orders placed before multi-currency support have no currency.
-- They were all charged in euros.
UPDATE orders SET currency = 'EUR';

ALTER TABLE orders ALTER COLUMN currency SET NOT NULL;
