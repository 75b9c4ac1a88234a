from fastapi.testclient import TestClient


def test_healthz(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://shop@localhost/shop_test")
    from app.main import app

    response = TestClient(app).get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
