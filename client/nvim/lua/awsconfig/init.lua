-- Neovim client of awsconfig-lsp: require("awsconfig").setup{}
-- Works on Neovim 0.7 (vim.lsp.start_client, capabilities advertised here) and on 0.8+ (vim.lsp.start).
-- All intelligence is in the server; this module starts it, answers its MFA prompt, keeps code lenses fresh and
-- shows the results of "Test this profile".
local M = {}

local TEST_PROFILE = "awsconfig.testProfile"
local FILETYPES = { awsconfig = true, awscredentials = true }

local defaults = {
  -- The server command. nil: `awsconfig-lsp` from PATH.
  cmd = nil,
  -- Sent to the server through workspace/configuration, section `awsconfig`
  -- (diagnostics = { disabled = {...}, severity = {...} }, liveLookups = false, shareCliCache = false).
  settings = {},
  -- How to ask for an MFA code: "inputsecret" (hidden typing), "ui" (vim.ui.input, e.g. with dressing.nvim),
  -- or a function(params) returning the code or nil (params: profile, mfaSerial, attempt).
  mfa_prompt = "inputsecret",
  -- Normal-mode key that tests the profile under the cursor (false: no mapping).
  test_key = "<leader>at",
  -- Refresh code lenses on these events (besides opening a buffer).
  codelens_events = { "BufEnter", "BufWritePost", "InsertLeave" },
  -- Called with each test result (after it is shown).
  on_test_result = nil,
  on_attach = nil,
}

M.config = vim.deepcopy(defaults)
M.client_id = nil
M.last_result = nil

local uv = vim.uv or vim.loop

-- client:request() on 0.11+ (where client.request() is deprecated), client.request() before.
local function request(client, method, params, handler, bufnr)
  if vim.fn.has("nvim-0.11") == 1 then
    return client:request(method, params, handler, bufnr)
  end
  return client.request(method, params, handler, bufnr)
end

local function notify(message, level)
  vim.notify("awsconfig: " .. message, level or vim.log.levels.INFO)
end

local function empty_dict_if_empty(value)
  if type(value) == "table" and next(value) == nil then return vim.empty_dict() end
  return value
end

--- Asks for an MFA code; returns the code, or nil when cancelled.
local function prompt_code(params)
  local again = (params.attempt and params.attempt > 1) and string.format(" (attempt %d)", params.attempt) or ""
  local label = string.format("MFA code for %s [%s]%s: ", params.mfaSerial or "?", params.profile or "?", again)
  local how = M.config.mfa_prompt
  local answer
  if type(how) == "function" then
    answer = how(params)
  elseif how == "ui" then
    local done = false
    vim.ui.input({ prompt = label }, function(input)
      answer = input
      done = true
    end)
    -- vim.ui.input may answer later (UI plugins): the server waits for the reply, so wait here too.
    vim.wait(300000, function() return done end, 50)
  else
    local ok, input = pcall(vim.fn.inputsecret, label)
    answer = ok and input or nil
  end
  if answer == nil then return nil end
  answer = vim.trim(tostring(answer))
  if answer == "" then return nil end
  return answer
end

--- Handler of the server's request awsconfig/mfaCode: {code = "123456"}, or null when cancelled.
function M.handle_mfa_code(_, params, _)
  params = params or {}
  while true do
    local code = prompt_code(params)
    if code == nil then return vim.NIL end
    if code:match("^%d%d%d%d%d%d$") then return { code = code } end
    notify("an MFA code is 6 digits; try again (empty input cancels).", vim.log.levels.WARN)
    if type(M.config.mfa_prompt) == "function" then return vim.NIL end
  end
end

--- The lines that show a test result (the first is the summary).
function M.format_result(result)
  local lines = {}
  if type(result) ~= "table" or result.profile == nil then
    return { "awsconfig: unexpected test result: " .. vim.inspect(result) }
  end
  local identity = type(result.identity) == "table" and result.identity or nil
  local err = type(result.error) == "table" and result.error or nil
  if result.ok then
    table.insert(lines, string.format("%s: you are %s (account %s)", result.profile,
      identity and identity.arn or "?", identity and identity.account or "?"))
  else
    table.insert(lines, string.format("%s: %s%s", result.profile, err and err.message or "the test failed",
      (err and err.hint and err.hint ~= vim.NIL) and (" " .. err.hint) or ""))
  end
  for _, hop in ipairs(type(result.hops) == "table" and result.hops or {}) do
    local parts = {}
    for _, part in ipairs({ hop.action, hop.roleArn, hop.mfaSerial and hop.mfaSerial ~= vim.NIL and ("MFA " .. hop.mfaSerial) or nil }) do
      if part and part ~= vim.NIL then table.insert(parts, part) end
    end
    local hop_error = hop.error
    if type(hop_error) == "table" then hop_error = hop_error.message end
    table.insert(lines, string.format("  %s %s: %s%s%s", hop.ok == false and "FAIL" or "ok", hop.profile or "",
      table.concat(parts, " "), type(hop.ms) == "number" and string.format(" %d ms", hop.ms) or "",
      (hop_error and hop_error ~= vim.NIL) and (" - " .. tostring(hop_error)) or ""))
  end
  if identity then
    table.insert(lines, string.format("  identity: %s account %s user id %s", identity.arn or "?", identity.account or "?", identity.userId or "?"))
  end
  return lines
end

--- Refreshes the code lenses of the current buffer, when the server offers them. With `force` (after a command or
--- a server's refresh request: the lenses changed), always asks again: vim.lsp.codelens.refresh() does nothing while
--- an earlier request is in flight, whose answer may predate the change (Neovim 0.7 then kept a stale lens).
function M.refresh_lenses(force)
  local client = M.client_id and vim.lsp.get_client_by_id(M.client_id)
  if not client or not (client.server_capabilities or {}).codeLensProvider then return end
  if not FILETYPES[vim.bo.filetype] then return end
  local on_codelens = vim.lsp.codelens.on_codelens
  if force and on_codelens then
    vim.lsp.buf_request(0, "textDocument/codeLens", { textDocument = vim.lsp.util.make_text_document_params() }, on_codelens)
  else
    vim.lsp.codelens.refresh()
  end
end

local function show_result(result)
  M.last_result = result
  local lines = M.format_result(result)
  local ok = type(result) == "table" and result.ok == true
  local cancelled = type(result) == "table" and type(result.error) == "table" and result.error.code == "cancelled"
  notify(table.concat(lines, "\n"), ok and vim.log.levels.INFO or (cancelled and vim.log.levels.WARN or vim.log.levels.ERROR))
  if M.config.on_test_result then M.config.on_test_result(result) end
end

--- Runs a server command through workspace/executeCommand; shows test results; refreshes lenses afterwards.
local function execute(command, ctx)
  local client = vim.lsp.get_client_by_id(ctx.client_id)
  if not client then return end
  request(client, "workspace/executeCommand", { command = command.command, arguments = command.arguments }, function(err, result)
    if err then
      notify(string.format("%s failed: %s", command.command, err.message or vim.inspect(err)), vim.log.levels.ERROR)
    elseif command.command == TEST_PROFILE then
      show_result(result)
    end
    if vim.api.nvim_buf_is_valid(ctx.bufnr) and vim.api.nvim_get_current_buf() == ctx.bufnr then
      M.refresh_lenses(true)
    end
  end, ctx.bufnr)
end

--- Client-side handlers of the lens commands (so the result can be shown; the work is the server's).
local function lens_commands()
  local commands = {}
  commands[TEST_PROFILE] = execute
  commands["awsconfig.clearCachedSession"] = execute
  commands["awsconfig.clearCliCache"] = execute
  -- Any other awsconfig.* lens (Clear cached session, ...) also goes to the server.
  return setmetatable(commands, {
    __index = function(_, name)
      if type(name) == "string" and name:match("^awsconfig%.") then return execute end
      return nil
    end,
  })
end

--- Tests the profile around the cursor: runs the "Test this profile" lens of the nearest profile above.
function M.test_profile(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local line = vim.api.nvim_win_get_cursor(0)[1] - 1
  local best
  for _, lens in ipairs(vim.lsp.codelens.get(bufnr)) do
    if lens.command and lens.command.command == TEST_PROFILE and lens.range.start.line <= line then
      if not best or lens.range.start.line > best.range.start.line then best = lens end
    end
  end
  if not best or not M.client_id then
    notify("no profile to test here (move into a profile with a credential chain; lenses refresh on save).", vim.log.levels.WARN)
    return
  end
  execute(best.command, { bufnr = bufnr, client_id = M.client_id })
end

local function capabilities()
  local caps = vim.lsp.protocol.make_client_capabilities()
  caps.workspace = caps.workspace or {}
  -- Neovim answers workspace/configuration from `settings` but (0.7) does not say so.
  caps.workspace.configuration = true
  caps.workspace.executeCommand = { dynamicRegistration = false }
  caps.workspace.codeLens = { refreshSupport = true }
  return caps
end

local function client_config()
  local cfg = M.config
  local cmd = cfg.cmd or { "awsconfig-lsp" }
  if type(cmd) == "string" then cmd = { cmd } end
  return {
    name = "awsconfig",
    cmd = cmd,
    root_dir = uv.cwd(),
    capabilities = capabilities(),
    settings = { awsconfig = empty_dict_if_empty(cfg.settings) },
    commands = lens_commands(),
    handlers = {
      ["awsconfig/mfaCode"] = M.handle_mfa_code,
      ["workspace/codeLens/refresh"] = function()
        vim.schedule(function() M.refresh_lenses(true) end)
        return vim.NIL
      end,
    },
    on_attach = function(client, bufnr)
      M.client_id = client.id
      if cfg.test_key then
        vim.api.nvim_buf_set_keymap(bufnr, "n", cfg.test_key, "<cmd>lua require('awsconfig').test_profile()<CR>",
          { noremap = true, silent = true, desc = "awsconfig: test this profile" })
      end
      if bufnr == vim.api.nvim_get_current_buf() then M.refresh_lenses() end
      if cfg.on_attach then cfg.on_attach(client, bufnr) end
    end,
    on_exit = function()
      M.client_id = nil
    end,
  }
end

--- Starts the server (once) and attaches the buffer to it.
function M.attach(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  if M.client_id and vim.lsp.get_client_by_id(M.client_id) then
    vim.lsp.buf_attach_client(bufnr, M.client_id)
    return M.client_id
  end
  local config = client_config()
  if vim.fn.executable(config.cmd[1]) ~= 1 then
    notify(string.format("cannot start the server: '%s' is not executable. Set cmd in require('awsconfig').setup{}.", config.cmd[1]), vim.log.levels.ERROR)
    return nil
  end
  local id
  if vim.lsp.start then
    -- 0.8+: one server for every AWS file (the server pairs config and credentials files by path itself).
    id = vim.lsp.start(config, { reuse_client = function(client) return client.name == "awsconfig" end, bufnr = bufnr })
  else
    id = vim.lsp.start_client(config)
    if id then vim.lsp.buf_attach_client(bufnr, id) end
  end
  M.client_id = id
  return id
end

local function env_path(name)
  local value = vim.env[name]
  if value == nil or value == "" then return nil end
  return vim.fn.fnamemodify(vim.fn.expand(value), ":p")
end

--- The filetype for a path: awsconfig, awscredentials, or nil.
function M.detect(path)
  if path == nil or path == "" then return nil end
  local full = vim.fn.fnamemodify(path, ":p")
  if full == env_path("AWS_CONFIG_FILE") then return "awsconfig" end
  if full == env_path("AWS_SHARED_CREDENTIALS_FILE") then return "awscredentials" end
  if full:match("/%.aws/config$") then return "awsconfig" end
  if full:match("/%.aws/credentials$") then return "awscredentials" end
  return nil
end

local function set_buffer_filetype(buf)
  local filetype = M.detect(vim.api.nvim_buf_get_name(buf))
  if filetype and vim.bo[buf].filetype ~= filetype then vim.bo[buf].filetype = filetype end
end

--- Filetype detection, lens refreshes and user commands (shared by setup and register_lspconfig).
local function install_autocmds(group, attach)
  -- Neovim calls these files `confini`; this runs after its own detection and overrides it.
  vim.api.nvim_create_autocmd({ "BufRead", "BufNewFile" }, {
    group = group,
    callback = function(args) set_buffer_filetype(args.buf) end,
  })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = { "awsconfig", "awscredentials" },
    callback = function(args)
      vim.bo[args.buf].commentstring = "# %s"
      if attach then M.attach(args.buf) end
    end,
  })
  vim.api.nvim_create_autocmd(M.config.codelens_events, {
    group = group,
    callback = function(args)
      if args.buf == vim.api.nvim_get_current_buf() then M.refresh_lenses() end
    end,
  })
  -- Buffers already open.
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) then set_buffer_filetype(buf) end
  end
  vim.api.nvim_create_user_command("AwsConfigTestProfile", function() M.test_profile() end,
    { desc = "awsconfig: test the profile under the cursor" })
end

--- Plain Neovim: require("awsconfig").setup{} starts the server for awsconfig / awscredentials buffers.
function M.setup(opts)
  M.config = vim.tbl_deep_extend("force", vim.deepcopy(defaults), opts or {})
  local group = vim.api.nvim_create_augroup("awsconfig", { clear = true })
  install_autocmds(group, true)
  vim.api.nvim_create_user_command("AwsConfigRestart", function()
    if M.client_id then vim.lsp.stop_client(M.client_id) end
    M.client_id = nil
    vim.defer_fn(function()
      for _, buf in ipairs(vim.api.nvim_list_bufs()) do
        if vim.api.nvim_buf_is_loaded(buf) and FILETYPES[vim.bo[buf].filetype] then M.attach(buf) end
      end
    end, 500)
  end, { desc = "awsconfig: restart the language server" })
end

--- nvim-lspconfig users: require("awsconfig").register_lspconfig{} then require("lspconfig").awsconfig.setup{}.
--- Registers the server definition (command, capabilities, MFA handler, lens commands) and the filetypes.
function M.register_lspconfig(opts)
  M.config = vim.tbl_deep_extend("force", vim.deepcopy(defaults), opts or {})
  local group = vim.api.nvim_create_augroup("awsconfig", { clear = true })
  install_autocmds(group, false)
  local configs = require("lspconfig.configs")
  if configs.awsconfig then return end
  local config = client_config()
  config.name = nil
  config.filetypes = { "awsconfig", "awscredentials" }
  config.root_dir = function() return uv.cwd() end
  config.single_file_support = true
  configs.awsconfig = {
    default_config = config,
    docs = { description = "awsconfig-lsp: the language server for ~/.aws/config and ~/.aws/credentials." },
  }
end

return M
