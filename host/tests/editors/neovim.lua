-- Drives Neovim's built-in LSP client (0.7+) against `opslint server`:
-- opens a Dockerfile and a manifest, collects their diagnostics, asks for
-- the code actions on a finding, then types a PodDisruptionBudget into a
-- second manifest and waits for the first one's cross-file diagnostic to go.
-- Writes what it saw as JSON to $OUT; host/tests/neovim.rs asserts on it.
local bin, root, out = os.getenv("OPSLINT_BIN"), os.getenv("ROOT"), os.getenv("OUT")
local seen = { errors = {} }

local function codes(buf)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    table.insert(list, d.code or lsp.code)
  end
  table.sort(list)
  return list
end

local function has(list, code)
  for _, c in ipairs(list) do
    if c == code then return true end
  end
  return false
end

local client = vim.lsp.start_client({ name = "opslint", cmd = { bin, "server" }, root_dir = root })
local function open(path)
  vim.cmd("edit " .. vim.fn.fnameescape(root .. "/" .. path))
  local buf = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(buf, client)
  return buf
end

local ok, err = pcall(function()
  local df = open("Dockerfile")
  vim.wait(30000, function() return #vim.diagnostic.get(df) > 0 end, 20)
  seen.dockerfile = codes(df)

  local params = {
    textDocument = { uri = vim.uri_from_bufnr(df) },
    range = { start = { line = 1, character = 0 }, ["end"] = { line = 1, character = 0 } },
    context = { diagnostics = {} },
  }
  seen.actions = {}
  for _, r in pairs(vim.lsp.buf_request_sync(df, "textDocument/codeAction", params, 10000) or {}) do
    for _, a in ipairs(r.result or {}) do table.insert(seen.actions, a.title) end
  end

  local web = open("k8s/web.yaml")
  vim.wait(30000, function() return has(codes(web), "k8s/missing-pdb") end, 20)
  seen.web_before = codes(web)

  local pdb = open("k8s/pdb.yaml")
  vim.wait(2000, function() return false end, 50)
  local started = vim.loop.hrtime()
  local lines = vim.split(os.getenv("PDB"), "\n", { plain = true })
  vim.api.nvim_buf_set_lines(pdb, 0, -1, false, lines)
  vim.wait(30000, function() return not has(codes(web), "k8s/missing-pdb") end, 5)
  seen.cross_file_ms = (vim.loop.hrtime() - started) / 1e6
  seen.web_after = codes(web)
end)
if not ok then table.insert(seen.errors, tostring(err)) end
vim.fn.writefile({ vim.fn.json_encode(seen) }, out)
vim.lsp.stop_client(client)
vim.cmd("qa!")
