-- End-to-end test of the Neovim client: nvim --headless -u client/e2e/nvim/test.lua (run by client/e2e/nvim/run.sh).
-- Opens the S3 fixture (copied to $AWSCONFIG_E2E_HOME/.aws) with require("awsconfig").setup{} and checks, through
-- Neovim's own LSP client, what a user sees: the filetype, the loop diagnostics, completion of credential_source
-- values, the hover with the resolved chain, go to definition into the credentials file, and (when the server has it)
-- the "Test this profile" code lens with the MFA prompt answered, against the project's loopback STS.
-- Prints one "ok N - ..." / "not ok N - ..." line per check and exits with the number of failures.
local repo = assert(os.getenv("AWSCONFIG_E2E_REPO"), "AWSCONFIG_E2E_REPO is not set")
local home = assert(os.getenv("AWSCONFIG_E2E_HOME"), "AWSCONFIG_E2E_HOME is not set")
local server = assert(os.getenv("AWSCONFIG_E2E_SERVER"), "AWSCONFIG_E2E_SERVER is not set")
local fake_sts = os.getenv("AWSCONFIG_E2E_FAKE_STS") -- the loopback STS, when the lens test runs
local timeout = tonumber(os.getenv("AWSCONFIG_E2E_TIMEOUT_MS") or "20000")

vim.opt.runtimepath:prepend(repo .. "/client/nvim")
vim.opt.swapfile = false
vim.opt.shortmess:append("F")

local out = io.stdout
local count, failures = 0, 0
local notifications = {}

local function check(name, ok, detail)
  count = count + 1
  if ok then
    out:write(string.format("ok %d - %s\n", count, name))
  else
    failures = failures + 1
    out:write(string.format("not ok %d - %s\n", count, name))
    if detail then out:write("  # " .. tostring(detail):gsub("\n", "\n  # ") .. "\n") end
  end
  out:flush()
end

local function finish()
  out:write(string.format("nvim e2e: %d passed, %d failed\n", count - failures, failures))
  out:flush()
  for _, client in pairs(vim.lsp.get_active_clients()) do client.stop() end
  vim.wait(2000, function() return #vim.lsp.get_active_clients() == 0 end, 50)
  vim.cmd(failures == 0 and "qall!" or ("cquit " .. failures))
end

-- A hung step must not hang CI.
local watchdog = vim.loop.new_timer()
watchdog:start(240000, 0, vim.schedule_wrap(function()
  check("finished within 240 s", false, "watchdog fired")
  finish()
end))

vim.notify = function(message, level)
  table.insert(notifications, { message = tostring(message), level = level })
end
-- The server's one-line window/showMessage: recorded instead of written to stdout (which carries the test's lines).
local server_messages = {}
vim.lsp.handlers["window/showMessage"] = function(_, result)
  table.insert(server_messages, result.message)
  return vim.NIL
end

local loaded, awsconfig = pcall(require, "awsconfig")
if not loaded then
  check("require(\"awsconfig\") loads", false, awsconfig)
  finish()
  return
end
awsconfig.setup({ cmd = vim.split(server, " ", { trimempty = true }) })

local config_path = home .. "/.aws/config"
local credentials_path = home .. "/.aws/credentials"

local function line_of(buf, pattern)
  for index, text in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    if text:find(pattern) then return index - 1, text end
  end
  error("no line matches " .. pattern)
end

local function floating_text()
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(win).relative ~= "" then
      return table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(win), 0, -1, false), "\n"), win
    end
  end
  return nil
end

local function close_floats()
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(win).relative ~= "" then vim.api.nvim_win_close(win, true) end
  end
end

local function run()
  -- 1. Filetype detection and attaching.
  vim.cmd("edit " .. vim.fn.fnameescape(config_path))
  local buf = vim.api.nvim_get_current_buf()
  check("~/.aws/config gets filetype awsconfig (not confini)", vim.bo[buf].filetype == "awsconfig", vim.bo[buf].filetype)
  local attached = vim.wait(timeout, function()
    local client = awsconfig.client_id and vim.lsp.get_client_by_id(awsconfig.client_id)
    return client ~= nil and client.initialized and vim.lsp.buf_is_attached(buf, client.id)
  end, 50)
  check("the awsconfig server starts and attaches to the buffer", attached, vim.inspect(notifications))
  if not attached then return end
  local client = vim.lsp.get_client_by_id(awsconfig.client_id)

  -- 2. Diagnostics of the loop: every source_profile line of loop-x -> loop-y -> loop-z.
  local loop_lines = {}
  for _, name in ipairs({ "loop%-x", "loop%-y", "loop%-z" }) do
    local header = line_of(buf, "^%[profile " .. name .. "%]")
    loop_lines[header + 2] = name
  end
  local function loop_diagnostics()
    local found = {}
    for _, diagnostic in ipairs(vim.diagnostic.get(buf)) do
      local code = diagnostic.code or (diagnostic.user_data and diagnostic.user_data.lsp and diagnostic.user_data.lsp.code)
      if code == "source-profile-loop" and loop_lines[diagnostic.lnum] then found[diagnostic.lnum] = diagnostic end
    end
    return found
  end
  vim.wait(timeout, function() return vim.tbl_count(loop_diagnostics()) == 3 end, 50)
  local found = loop_diagnostics()
  local sample = next(found) and found[next(found)] or nil
  check("a source-profile-loop error on each of the 3 source_profile lines of the loop",
    vim.tbl_count(found) == 3 and sample.severity == vim.diagnostic.severity.ERROR,
    vim.inspect(vim.diagnostic.get(buf)))
  check("the loop diagnostic quotes the AWS CLI's error",
    sample ~= nil and sample.message:find("Infinite loop in credential configuration detected", 1, true) ~= nil,
    sample and sample.message)

  -- 3. Hover on role-b: the resolved chain, in the floating window the user sees.
  local role_b = line_of(buf, "^%[profile role%-b%]")
  vim.api.nvim_win_set_cursor(0, { role_b + 1, 10 })
  vim.lsp.buf.hover()
  vim.wait(timeout, function() return floating_text() ~= nil end, 50)
  local hover = floating_text() or ""
  check("hover on [profile role-b] shows its resolved chain",
    hover:find("role-b <- role-a (MFA arn:aws:iam::222222222222:mfa/User1) <- default (static keys", 1, true) ~= nil, hover)
  close_floats()

  -- 4. Go to definition from `source_profile = default` into the credentials file.
  local source_line, source_text = line_of(buf, "^source_profile = default")
  vim.api.nvim_win_set_cursor(0, { source_line + 1, (source_text:find("default")) })
  vim.lsp.buf.definition()
  vim.wait(timeout, function() return vim.api.nvim_buf_get_name(0) ~= config_path end, 50)
  local target = vim.api.nvim_buf_get_name(0)
  local cursor = vim.api.nvim_win_get_cursor(0)
  local target_line = vim.api.nvim_buf_get_lines(0, cursor[1] - 1, cursor[1], false)[1] or ""
  check("definition of source_profile = default jumps to [default] in the credentials file",
    target == credentials_path and target_line:find("[default]", 1, true) ~= nil,
    string.format("%s:%d: %s", target, cursor[1], target_line))
  check("the credentials file gets filetype awscredentials and the same server",
    vim.bo.filetype == "awscredentials" and vim.lsp.buf_is_attached(0, client.id), vim.bo.filetype)
  vim.cmd("buffer " .. buf)

  -- 5. Completion of credential_source values, on a new profile typed into the buffer.
  local last = vim.api.nvim_buf_line_count(buf)
  vim.api.nvim_buf_set_lines(buf, last, last, false,
    { "", "[profile dst-role]", "role_arn = arn:aws:iam::123456789012:role/some-role", "credential_source = " })
  local line = vim.api.nvim_buf_line_count(buf) - 1
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = line, character = #"credential_source = " },
  }
  local responses = vim.lsp.buf_request_sync(buf, "textDocument/completion", params, timeout) or {}
  local labels = {}
  for _, response in pairs(responses) do
    local items = response.result and (response.result.items or response.result) or {}
    for _, item in ipairs(items) do labels[item.label] = item end
  end
  check("completion after credential_source = offers Environment, Ec2InstanceMetadata and EcsContainer",
    labels.Environment and labels.Ec2InstanceMetadata and labels.EcsContainer and vim.tbl_count(labels) == 3,
    vim.inspect(vim.tbl_keys(labels)))
  vim.api.nvim_buf_set_lines(buf, last, -1, false, {})

  -- 6. The "Test this profile" lens, with the MFA prompt answered (needs the lens in the server and the fake STS).
  local has_lens = client.server_capabilities.codeLensProvider ~= nil
  if not fake_sts then
    out:write("# lens steps not run: AWSCONFIG_E2E_FAKE_STS is not set\n")
    return
  end
  check("the server offers code lenses", has_lens, vim.inspect(client.server_capabilities))
  if not has_lens then return end
  local prompts = {}
  vim.fn.inputsecret = function(label)
    table.insert(prompts, label)
    local serial = label:match("MFA code for (%S+)")
    return vim.trim(vim.fn.system({ "curl", "-sf", fake_sts .. "/_fake/totp?serial=" .. serial }))
  end
  awsconfig.refresh_lenses()
  local function lens_for(profile_line)
    for _, lens in ipairs(vim.lsp.codelens.get(buf)) do
      if lens.range.start.line == profile_line and lens.command and lens.command.command == "awsconfig.testProfile" then return lens end
    end
  end
  vim.wait(timeout, function() return lens_for(role_b) ~= nil end, 50)
  local lens = lens_for(role_b)
  check("a \"Test this profile\" lens on [profile role-b]", lens ~= nil and lens.command.title:find("Test") ~= nil,
    vim.inspect(vim.lsp.codelens.get(buf)))
  if not lens then return end
  awsconfig.last_result = nil
  vim.api.nvim_win_set_cursor(0, { role_b + 2, 0 })
  awsconfig.test_profile()
  vim.wait(60000, function() return awsconfig.last_result ~= nil end, 100)
  local result = awsconfig.last_result or {}
  check("the MFA prompt names the device of role-a, once",
    #prompts == 1 and prompts[1]:find("arn:aws:iam::222222222222:mfa/User1", 1, true) ~= nil, vim.inspect(prompts))
  check("testing role-b succeeds and shows the assumed-role identity",
    result.ok == true and type(result.identity) == "table" and tostring(result.identity.arn):find("assumed%-role/RoleB/") ~= nil,
    vim.inspect(result))
  local shown = notifications[#notifications] and notifications[#notifications].message or ""
  check("the result is shown to the user, with every hop",
    shown:find("role-b: you are arn:aws:sts::111111111111:assumed-role/RoleB/", 1, true) ~= nil
      and shown:find("role-a: assume-role arn:aws:iam::111111111111:role/RoleA MFA arn:aws:iam::222222222222:mfa/User1", 1, true) ~= nil,
    shown)
  check("the server's one-line message says who you are", (server_messages[#server_messages] or ""):find("you are arn:aws:sts::111111111111:assumed-role/RoleB/", 1, true) ~= nil,
    vim.inspect(server_messages))

  -- A second test reuses the session: no prompt. Then "Clear cached session", and a cancelled prompt.
  local function lens_titled(line, command)
    for _, candidate in ipairs(vim.lsp.codelens.get(buf)) do
      if candidate.range.start.line == line and candidate.command and candidate.command.command == command then return candidate end
    end
  end
  awsconfig.last_result = nil
  awsconfig.test_profile()
  vim.wait(60000, function() return awsconfig.last_result ~= nil end, 100)
  check("testing role-b again uses the cached session: no second MFA prompt",
    #prompts == 1 and (awsconfig.last_result or {}).ok == true, vim.inspect({ prompts = prompts, result = awsconfig.last_result }))
  awsconfig.refresh_lenses()
  vim.wait(timeout, function() return lens_titled(role_b, "awsconfig.clearCachedSession") ~= nil end, 50)
  local clear = lens_titled(role_b, "awsconfig.clearCachedSession")
  check("a \"Clear cached session\" lens appears on role-b", clear ~= nil and clear.command.title == "Clear cached session",
    vim.inspect(vim.lsp.codelens.get(buf)))
  if not clear then return end
  -- Two lenses on the line: Neovim asks which one with vim.ui.select; the user picks "Clear cached session".
  local offered = {}
  vim.ui.select = function(items, opts, on_choice)
    for index, item in ipairs(items) do
      local title = opts.format_item and opts.format_item(item) or tostring(item)
      table.insert(offered, title)
      if title == "Clear cached session" then return on_choice(item, index) end
    end
    on_choice(nil, nil)
  end
  vim.api.nvim_win_set_cursor(0, { role_b + 1, 0 })
  vim.lsp.codelens.run()
  vim.wait(timeout, function() return lens_titled(role_b, "awsconfig.clearCachedSession") == nil end, 100)
  check("running it forgets the session (the lens goes away)", lens_titled(role_b, "awsconfig.clearCachedSession") == nil,
    vim.inspect({ offered = offered, lenses = vim.lsp.codelens.get(buf) }))
  vim.fn.inputsecret = function(label)
    table.insert(prompts, label)
    return "" -- the user presses Escape / enters nothing
  end
  awsconfig.last_result = nil
  awsconfig.test_profile()
  vim.wait(60000, function() return awsconfig.last_result ~= nil end, 100)
  local cancelled = awsconfig.last_result or {}
  check("without the cached session the prompt comes back; cancelling it stops the test",
    #prompts == 2 and cancelled.ok == false and (server_messages[#server_messages] or ""):find("cancelled", 1, true) ~= nil,
    vim.inspect({ prompts = prompts, result = cancelled, messages = server_messages }))
end

vim.schedule(function()
  local ok, err = pcall(run)
  if not ok then check("the test script ran without a Lua error", false, err) end
  watchdog:stop()
  finish()
end)
