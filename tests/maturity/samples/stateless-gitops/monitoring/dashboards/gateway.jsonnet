local grafana = import 'grafonnet/grafana.libsonnet';
local dashboard = grafana.dashboard;
local prometheus = grafana.prometheus;
local graphPanel = grafana.graphPanel;

dashboard.new('Gateway', schemaVersion=39)
.addPanel(
  graphPanel.new('Requests').addTarget(prometheus.target('sum(rate(http_requests_total{job="gateway"}[5m]))')),
  gridPos={ x: 0, y: 0, w: 12, h: 8 }
)
