using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using VSmenu.IntegrationTests.Api;
using VSmenu.Testing;

namespace VSmenu.IntegrationTests.Pos;

/// <summary>POS terminals as real processes against the booted api, hub, Redis and PostgreSQL.</summary>
public sealed class PosTerminalTests(TopologyFixture topology)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>A takeaway order as a till's UI sends it to <c>orders:create</c>.</summary>
    internal static object TakeawayOrder(ApiSession.Menu menu, int quantity = 1, string? notes = null) => new
    {
        type = "takeaway",
        customer_id = menu.CustomerId,
        notes,
        items = new[] { new { product_id = menu.Products[0], quantity } },
    };

    /// <summary>A terminal signed in as <paramref name="user"/> that has pulled the restaurant's menu.</summary>
    internal static async Task<PosTerminal> ReadyTerminalAsync(
        TopologyFixture topology, ApiSession user, ApiSession.Menu menu, string? dataPath = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        var terminal = await PosTerminal.SignedInAsync(topology, user, dataPath, settings: settings);
        try
        {
            // A pull serves only what committed below the oldest transaction still running in the whole database, and the
            // suite's own big pushes run for a while (8.4 and 12.4 s measured for a 1,000-order one under the suite's load).
            await Eventually.ReturnsAsync(
                () => terminal.CallAsync("products:getAll"), products => products.GetArrayLength() == menu.Products.Count, "the menu pulled", TimeSpan.FromSeconds(90));
            return terminal;
        }
        catch
        {
            await terminal.DisposeAsync();
            throw;
        }
    }

    internal static string ClientId(JsonElement order) => order.GetProperty("client_id").GetString()!;

    [Fact]
    public async Task A_node_vscode_jsonrpc_client_calls_every_channel_by_name_and_receives_both_notifications()
    {
        await NodeScript.EnsureInstalledAsync();
        using var owner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(18.25m);
        await using var terminal = await PosTerminal.StartAsync(topology);
        var (exitCode, output) = await NodeScript.RunAsync("node", ["--test", "--test-reporter=spec", "pos-ipc.test.mjs"], new Dictionary<string, string>
        {
            ["POS_IPC_FILE"] = Path.Combine(terminal.DataPath, "ipc.json"),
            ["POS_EMAIL"] = owner.Email,
            ["POS_PASSWORD"] = ApiSession.Password,
            ["POS_CUSTOMER_ID"] = menu.CustomerId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

        TestContext.Current.TestOutputHelper?.WriteLine(output);
        Assert.True(exitCode == 0, $"pos-ipc.test.mjs failed:{Environment.NewLine}{output}");
    }

    [Fact]
    public async Task Vsmenu_pos_call_prints_a_channel_s_answer_as_json_and_a_refusal_s_body_with_exit_code_1()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(8.75m);
        await using var terminal = await ReadyTerminalAsync(topology, owner, menu);
        var made = ClientId(await terminal.CallAsync("orders:create", TakeawayOrder(menu)));

        var listed = await NodeScript.RunAsync("dotnet", [PosTerminalProcess.ExecutablePath(), "call", "--data", terminal.DataPath, "orders:getAll", """{"status":"pending"}"""]);
        Assert.True(listed.ExitCode == 0, listed.Output);
        Assert.Equal(made, ClientId(JsonDocument.Parse(listed.Output).RootElement.EnumerateArray().Single()));

        var missing = await NodeScript.RunAsync("dotnet", [PosTerminalProcess.ExecutablePath(), "call", "--data", terminal.DataPath, "orders:getById", "987654321"]);
        Assert.Equal(1, missing.ExitCode);
        var body = JsonDocument.Parse(missing.Output).RootElement;
        Assert.Equal(404, body.GetProperty("status").GetInt32());
        Assert.Contains("987654321", body.GetProperty("message").GetString());

        var nowhere = await NodeScript.RunAsync("dotnet", [PosTerminalProcess.ExecutablePath(), "call", "--data", PosTerminal.NewDataPath(), "sync:status"]);
        Assert.Equal(2, nowhere.ExitCode);
    }

    [Fact]
    public async Task A_terminal_killed_while_pushing_200_orders_pushes_each_exactly_once_after_its_restart()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(9.50m);
        var dataPath = PosTerminal.NewDataPath();
        var slowPushes = new Dictionary<string, string> { ["Pos__PushBatch"] = "10" };
        await (await ReadyTerminalAsync(topology, owner, menu, dataPath)).KillAsync();

        await using (var offline = await PosTerminal.StartAsync(topology, dataPath, PosTerminal.Unreachable))
        {
            for (var i = 0; i < 200; i++)
            {
                await offline.CallAsync("orders:create", TakeawayOrder(menu, notes: $"#{i}"));
            }

            await offline.WaitForStatusAsync(status => status.GetProperty("pending").GetInt64() == 200, "200 pending");
            await offline.KillAsync();
        }

        var pushing = await PosTerminal.StartAsync(topology, dataPath, settings: slowPushes);
        var onServerAtKill = await Eventually.ReturnsAsync(() => ServerOrdersAsync(owner.TenantId), count => count > 0, "the push under way", TimeSpan.FromSeconds(30));
        await pushing.KillAsync();
        await pushing.DisposeAsync();
        TestContext.Current.TestOutputHelper?.WriteLine($"killed with {onServerAtKill} of 200 on the server");
        Assert.True(onServerAtKill < 200, "The push had ended before the kill; the test did not crash it mid-way.");

        await using var restarted = await PosTerminal.StartAsync(topology, dataPath, settings: slowPushes);
        await restarted.WaitForStatusAsync(status => status.GetProperty("pending").GetInt64() == 0 && status.GetProperty("state").GetString() == "idle", "every mutation pushed", TimeSpan.FromSeconds(60));

        var local = await restarted.CallAsync("orders:getAll");
        Assert.Equal(200, local.GetArrayLength());
        Assert.All(local.EnumerateArray(), order => Assert.True(order.GetProperty("id").ValueKind is JsonValueKind.Number, $"Order {ClientId(order)} has no server id."));
        Assert.Equal(200, await ServerOrdersAsync(owner.TenantId));
        var clientIds = await topology.QueryScalarAsync<long>($"SELECT count(DISTINCT client_id) FROM orders WHERE tenant_id = {owner.TenantId}");
        Assert.Equal(200, clientIds);
        Assert.Equal(
            local.EnumerateArray().Select(ClientId).Order(),
            (await topology.QueryScalarAsync<string>($"SELECT string_agg(client_id::text, ',' ORDER BY client_id::text) FROM orders WHERE tenant_id = {owner.TenantId}")).Split(',').Order());
    }

    [Fact]
    public async Task A_stale_offline_status_move_is_rejected_with_its_reason_and_the_order_shows_the_server_s_status()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(30m);
        var dataPath = PosTerminal.NewDataPath();
        var orderId = (await owner.CreateTakeawayOrderAsync(menu, (0, 2))).AssertStatus(HttpStatusCode.Created).Id;
        await using (var online = await ReadyTerminalAsync(topology, owner, menu, dataPath))
        {
            await online.WaitForOrdersAsync(orders => orders.GetArrayLength() == 1, "the REST order pulled");
            await online.KillAsync();
        }

        (await owner.PatchAsync($"/api/v1/orders/{orderId}", new { status = "cancelled", cancellation_reason = "Cliente desistiu" })).AssertStatus(HttpStatusCode.OK);
        await using (var offline = await PosTerminal.StartAsync(topology, dataPath, PosTerminal.Unreachable))
        {
            var moved = await offline.CallAsync("orders:update", orderId, new { status = "confirmed" });
            Assert.Equal("confirmed", moved.GetProperty("status").GetString());
            await offline.KillAsync();
        }

        await using var back = await PosTerminal.StartAsync(topology, dataPath);
        var status = await back.WaitForStatusAsync(status => status.GetProperty("pending").GetInt64() == 0 && status.TryGetProperty("rejected", out var rejected) && rejected.GetArrayLength() == 1, "the stale move refused");
        var refusal = status.GetProperty("rejected")[0];
        Assert.Equal("orders.update", refusal.GetProperty("name").GetString());
        Assert.InRange(refusal.GetProperty("status_code").GetInt32(), 409, 422);
        Assert.False(string.IsNullOrWhiteSpace(refusal.GetProperty("message").GetString()));
        Assert.Equal("cancelled", (await back.CallAsync("orders:getById", orderId)).GetProperty("status").GetString());
        Assert.Equal("cancelled", (await owner.GetAsync($"/api/v1/orders/{orderId}")).Data["status"]!.GetValue<string>());
    }

    /// <summary>
    /// A transaction left open on the server (a long report, a hung session: any restaurant's) holds back every change
    /// committed after it began, and the pull answers empty pages that say there is more. The till must not ask again
    /// in a loop for as long as that lasts, and must have the change within a second or two of the transaction's end.
    /// </summary>
    [Fact]
    public async Task A_change_held_back_by_a_transaction_open_on_the_server_is_pulled_again_after_waits_not_in_a_loop_and_arrives_once_it_ends()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(13.40m);
        await using var till = await ReadyTerminalAsync(topology, owner, menu);
        await using var database = await topology.OpenDatabaseAsync();
        await using var openElsewhere = await database.BeginTransactionAsync(Cancellation);
        await using (var takeTransactionId = new Npgsql.NpgsqlCommand("SELECT txid_current()", database, openElsewhere))
        {
            await takeTransactionId.ExecuteScalarAsync(Cancellation);
        }

        var orderId = (await owner.CreateTakeawayOrderAsync(menu, (0, 1))).AssertStatus(HttpStatusCode.Created).Id;
        var heldFor = TimeSpan.FromSeconds(4);
        await Task.Delay(heldFor, Cancellation);
        Assert.Equal(0, (await till.CallAsync("orders:getAll")).GetArrayLength());

        (await owner.GetAsync("/api/v1/auth/me")).AssertStatus(HttpStatusCode.OK);
        var tenant = $"tenant {owner.TenantId},";
        var apiLog = await topology.ReadLogsUntilAsync("api", line => line.Contains("/auth/me", StringComparison.Ordinal) && line.Contains(tenant, StringComparison.Ordinal));
        var pulls = apiLog.Count(line => line.Contains("/sync/pull", StringComparison.Ordinal) && line.Contains(tenant, StringComparison.Ordinal));
        TestContext.Current.TestOutputHelper?.WriteLine($"pulls of the restaurant, its menu's included, with the change held back {heldFor.TotalSeconds:0} s: {pulls}");
        Assert.InRange(pulls, 2, 20);

        var ended = System.Diagnostics.Stopwatch.StartNew();
        await openElsewhere.RollbackAsync(Cancellation);
        await till.WaitForOrdersAsync(orders => orders.GetArrayLength() == 1 && orders[0].GetProperty("id").GetInt64() == orderId, "the held-back order pulled", TimeSpan.FromSeconds(5));
        TestContext.Current.TestOutputHelper?.WriteLine($"the order at the till {ended.ElapsedMilliseconds} ms after the transaction ended");
    }

    /// <summary>
    /// Four tills change one order at once: each writes its notes five times and then confirms it (a confirmation of a
    /// confirmed order changes nothing). Every change is applied on the server, none refused as a conflict; the notes are
    /// the last writer's; and every till ends showing the server's order.
    /// </summary>
    [Fact]
    public async Task Four_terminals_changing_one_order_at_once_all_reach_the_server_and_end_showing_its_version()
    {
        const int Terminals = 4;
        const int NotesEach = 5;
        using var owner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(16.80m);
        var orderId = (await owner.CreateTakeawayOrderAsync(menu, (0, 1))).AssertStatus(HttpStatusCode.Created).Id;
        var tills = new List<PosTerminal>();
        try
        {
            foreach (var _ in Enumerable.Range(0, Terminals))
            {
                tills.Add(await ReadyTerminalAsync(topology, owner, menu));
            }

            await Task.WhenAll(tills.Select(till => till.WaitForOrdersAsync(orders => orders.GetArrayLength() == 1, "the order pulled")));
            await Task.WhenAll(tills.Select(async (till, index) =>
            {
                for (var note = 0; note < NotesEach; note++)
                {
                    await till.CallAsync("orders:update", orderId, new { notes = $"till {index} note {note}" });
                }

                await till.CallAsync("orders:update", orderId, new { status = "confirmed" });
            }));

            var statuses = await Task.WhenAll(tills.Select(till => till.WaitForStatusAsync(
                status => status.GetProperty("pending").GetInt64() == 0 && status.GetProperty("state").GetString() == "idle", "every change pushed", TimeSpan.FromSeconds(60))));
            var refusals = statuses.SelectMany(status => status.GetProperty("rejected").EnumerateArray()).ToList();
            Assert.True(refusals.Count == 0, $"{refusals.Count} changes were refused: {string.Join(Environment.NewLine, refusals)}");
            Assert.Equal(Terminals * (NotesEach + 1), await MutationsAsync(owner.TenantId, "applied"));

            var server = (await owner.GetAsync($"/api/v1/orders/{orderId}")).Data;
            Assert.Equal("confirmed", server["status"]!.GetValue<string>());
            Assert.Contains(server["notes"]!.GetValue<string>(), Enumerable.Range(0, Terminals).Select(index => $"till {index} note {NotesEach - 1}"));
            await Task.WhenAll(tills.Select(till => Eventually.ReturnsAsync(
                () => till.CallAsync("orders:getById", orderId),
                shown => shown.GetProperty("notes").GetString() == server["notes"]!.GetValue<string>() && shown.GetProperty("status").GetString() == "confirmed"
                    && shown.GetProperty("updated_at").GetDateTimeOffset() == server["updated_at"]!.GetValue<DateTimeOffset>(),
                "the till showing the server's order")));
        }
        finally
        {
            foreach (var till in tills)
            {
                await till.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// A dine-in order opened and then called off at a till: the push that cancels it frees the table inside the push's own
    /// transaction, and the table is free again on the server with nothing refused and nothing left pending.
    /// </summary>
    [Fact]
    public async Task A_dine_in_order_cancelled_at_a_till_frees_its_table_on_the_server()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(23.00m);
        var tableId = await owner.CreateTableAsync(7);
        await using var till = await ReadyTerminalAsync(topology, owner, menu);
        var opened = await till.CallAsync("orders:create", new
        {
            type = "dine_in",
            table_id = tableId,
            items = new[] { new { product_id = menu.Products[0], quantity = 2 } },
        });
        await Eventually.ReturnsAsync(
            async () => (await owner.GetAsync($"/api/v1/tables/{tableId}")).Data["status"]!.GetValue<string>(), status => status == "occupied", "the table occupied");

        await till.CallAsync("orders:update", ClientId(opened), new { status = "cancelled", cancellation_reason = "Mesa foi embora" });
        var status = await till.WaitForStatusAsync(
            status => status.GetProperty("pending").GetInt64() == 0 && status.GetProperty("state").GetString() == "idle", "the cancellation pushed");
        Assert.Empty(status.GetProperty("rejected").EnumerateArray());
        Assert.Equal("available", (await owner.GetAsync($"/api/v1/tables/{tableId}")).Data["status"]!.GetValue<string>());
        Assert.Equal("cancelled", (await till.CallAsync("orders:getById", ClientId(opened))).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Signing_out_with_changes_pending_is_refused_unless_forced_and_a_forced_sign_out_revokes_the_token_once_they_are_pushed()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        using var waiter = await owner.AddStaffAsync("waiter");
        var menu = await owner.CreateMenuAsync(12m);
        var dataPath = PosTerminal.NewDataPath();
        await (await ReadyTerminalAsync(topology, waiter, menu, dataPath)).KillAsync();
        string token;
        await using (var offline = await PosTerminal.StartAsync(topology, dataPath, PosTerminal.Unreachable))
        {
            token = (await offline.CallAsync("auth:getToken")).GetString()!;
            await offline.CallAsync("orders:create", TakeawayOrder(menu));
            var refused = await offline.RefusalAsync("auth:logout");
            Assert.Equal(409, refused.ErrorCode);
            Assert.Contains("not on the server yet", ((JsonElement)refused.ErrorData!).GetProperty("message").GetString());
            var forced = await offline.CallAsync("auth:logout", new { force = true });
            Assert.False(forced.GetProperty("token_revoked").GetBoolean());
            Assert.Equal(JsonValueKind.Null, (await offline.CallAsync("auth:getToken")).ValueKind);
            Assert.Equal(401, (await offline.RefusalAsync("orders:create", TakeawayOrder(menu))).ErrorCode);
            await offline.KillAsync();
        }

        await using var back = await PosTerminal.StartAsync(topology, dataPath);
        await back.WaitForStatusAsync(status => status.GetProperty("pending").GetInt64() == 0, "the waiter's order pushed");
        Assert.Equal(1, await ServerOrdersAsync(owner.TenantId));
        await Eventually.ReturnsAsync(async () => (await ApiSession.MeAsync(topology, token)).Status, status => status == HttpStatusCode.Unauthorized, "the waiter's token revoked");
    }

    [Fact]
    public async Task Signing_out_with_a_token_already_revoked_on_the_server_reports_it_revoked()
    {
        // The sync engine revokes a signed-out user's token as soon as nothing of theirs is pending, which can be while the
        // sign-out is still calling the api: the sign-out then meets its token revoked, as here.
        using var owner = await ApiSession.RegisterAsync(topology);
        await using var terminal = await PosTerminal.SignedInAsync(topology, owner);
        var token = (await terminal.CallAsync("auth:getToken")).GetString()!;
        (await ApiSession.LogoutAsync(topology, token)).AssertStatus(HttpStatusCode.NoContent);

        var signedOut = await terminal.CallAsync("auth:logout");
        Assert.True(signedOut.GetProperty("signed_out").GetBoolean());
        Assert.True(signedOut.GetProperty("token_revoked").GetBoolean());
        Assert.Equal(JsonValueKind.Null, (await terminal.CallAsync("auth:getToken")).ValueKind);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_ipc_socket_is_the_user_s_alone_and_another_user_of_the_machine_cannot_open_it()
    {
        await using var terminal = await PosTerminal.StartAsync(topology);
        using var ipc = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(terminal.DataPath, "ipc.json"), Cancellation));
        var socket = ipc.RootElement.GetProperty("path").GetString()!;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(socket));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(socket)!));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(terminal.DataPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(terminal.DataPath, "pos.db")));

        const string connect = "require('net').connect(process.argv[1]).on('connect', () => { console.log('connected'); process.exit(0); }).on('error', e => { console.log(e.code); process.exit(3); })";
        var asOwner = await NodeScript.RunAsync("node", ["-e", connect, socket]);
        Assert.Equal("connected", asOwner.Output.Trim());
        if (Environment.UserName == "root")
        {
            // Root may open anything: the other user is nobody.
            var asNobody = await NodeScript.RunAsync("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "--", "node", "-e", connect, socket]);
            Assert.Equal("EACCES", asNobody.Output.Trim());
        }
    }

    [Fact]
    public async Task A_UI_that_stops_reading_holds_up_neither_the_till_s_writes_nor_its_sync_nor_another_UI_and_is_disconnected()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(6.50m);
        // The till's writes and the pushes after them notify here: no hub, no interval pull.
        var onlyWritesSync = new Dictionary<string, string> { ["Pusher__Key"] = "", ["Pos__PullInterval"] = "01:00:00" };
        await using var till = await ReadyTerminalAsync(topology, owner, menu, settings: onlyWritesSync);
        using var frozen = await FrozenUiAsync(till);

        // Each create, and each push after one, notifies every UI: the frozen one's socket fills, then its queue, until the
        // till closes it. A few hundred creates do that; 3,000 is the bound past which the till never gave up on it.
        const string closed = "A UI left 256 notifications unread: its connection is closed.";
        var created = 0;
        string? lastClientId = null;
        while (!till.Output.Any(line => line.Contains(closed, StringComparison.Ordinal)))
        {
            Assert.True(created < 3000, $"The till still writes to a UI that has read nothing after {created} orders.");
            var order = await till.CallAsync("orders:create", TakeawayOrder(menu, notes: $"#{created}")).WaitAsync(TimeSpan.FromSeconds(10), Cancellation);
            lastClientId = ClientId(order);
            created++;
        }

        await till.NextOrdersChangedAsync(
            changed => changed.GetProperty("client_ids").EnumerateArray().Any(clientId => clientId.GetString() == lastClientId), TimeSpan.FromSeconds(10));
        var unread = await ReadUntilClosedAsync(frozen).WaitAsync(TimeSpan.FromSeconds(30), Cancellation);
        TestContext.Current.TestOutputHelper?.WriteLine($"orders made until the till closed the UI that read nothing: {created}; bytes left in its socket: {unread}");
        Assert.True(unread > 0, "The frozen UI was closed before anything was written to it.");
        await till.WaitForStatusAsync(
            status => status.GetProperty("pending").GetInt64() == 0 && status.GetProperty("state").GetString() == "idle", "every order pushed", TimeSpan.FromSeconds(60));
        Assert.Equal(created, await ServerOrdersAsync(owner.TenantId));
        Assert.Equal(created, (await till.CallAsync("orders:getAll")).GetArrayLength());
    }

    /// <summary>A UI that connects to the terminal and never reads.</summary>
    private static async Task<Socket> FrozenUiAsync(PosTerminal till)
    {
        using var ipc = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(till.DataPath, "ipc.json"), Cancellation));
        var frozen = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await frozen.ConnectAsync(new UnixDomainSocketEndPoint(ipc.RootElement.GetProperty("path").GetString()!), Cancellation);
            return frozen;
        }
        catch
        {
            frozen.Dispose();
            throw;
        }
    }

    /// <summary>Reads what a socket was sent until its other end closes it; answers how many bytes that was.</summary>
    private static async Task<long> ReadUntilClosedAsync(Socket socket)
    {
        var buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, Cancellation)) > 0)
        {
            total += read;
        }

        return total;
    }

    [Fact]
    public async Task Orders_made_at_a_till_one_after_another_go_to_the_server_in_one_push_after_the_push_delay()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(9.50m);
        // No hub and no interval pull: only the till's own writes start a round here.
        var onlyWritesSync = new Dictionary<string, string> { ["Pusher__Key"] = "", ["Pos__PullInterval"] = "01:00:00", ["Pos__PushDelay"] = "00:00:03" };
        await using var till = await ReadyTerminalAsync(topology, owner, menu, settings: onlyWritesSync);
        await till.WaitForStatusAsync(status => status.GetProperty("state").GetString() == "idle", "the sign-in's round over");

        for (var i = 0; i < 5; i++)
        {
            await till.CallAsync("orders:create", TakeawayOrder(menu, notes: $"#{i}"));
        }

        await till.WaitForStatusAsync(status => status.GetProperty("pending").GetInt64() == 0 && status.GetProperty("state").GetString() == "idle", "the five pushed");
        // The push logs its line after it settles, which the status already shows.
        var pushes = await Eventually.ReturnsAsync(
            () => Task.FromResult(till.Output.Select(line => line.Trim()).Where(line => line.StartsWith("Pushed:", StringComparison.Ordinal)).ToList()),
            lines => lines.Count > 0,
            "the push logged");
        Assert.Equal(["Pushed: 5 applied, 0 rejected."], pushes);
        Assert.Equal(5, await ServerOrdersAsync(owner.TenantId));
    }

    [Fact]
    public async Task A_terminal_started_from_another_folder_uses_the_settings_installed_with_it()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(8.00m);
        await using var till = await ReadyTerminalAsync(topology, owner, menu);
        Assert.NotEqual(Path.GetDirectoryName(PosTerminalProcess.ExecutablePath()), Environment.CurrentDirectory);

        await till.CallAsync("orders:create", new { type = "takeaway", customer_id = menu.CustomerId, items = new[] { new { product_id = menu.Products[0], quantity = 1 } } });
        // The push's own line comes after its HTTP calls' in the console's one queue.
        await Eventually.ReturnsAsync(() => Task.FromResult(till.Output.Any(line => line.Contains("Pushed: 1 applied", StringComparison.Ordinal))), pushed => pushed, "the push logged");

        // Its appsettings.json turns off the HTTP client's lines for each call: a fifth of the till's managed CPU samples in a profile.
        Assert.DoesNotContain(till.Output, line => line.Contains("System.Net.Http.HttpClient", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_terminal_exports_how_long_it_took_to_answer_its_UI_s_calls()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var service = $"pos-{Guid.NewGuid():N}";
        var exporting = new Dictionary<string, string>(topology.Telemetry.ExporterEnvironment) { ["OTEL_SERVICE_NAME"] = service };
        await using var till = await PosTerminal.SignedInAsync(topology, owner, settings: exporting);

        await till.CallAsync("orders:getAll");

        var metric = await topology.Telemetry.WaitForAsync(
            telemetry => telemetry.Metrics.FirstOrDefault(metric => (metric.Service, metric.Name) == (service, "rpc.server.call.duration")),
            TimeSpan.FromSeconds(30),
            Cancellation,
            telemetry => $"The terminal exported: {string.Join(", ", telemetry.Metrics.Where(metric => metric.Service == service).Select(metric => metric.Name))}");
        Assert.Equal("s", metric.Unit);
        Assert.False(string.IsNullOrWhiteSpace(metric.Description));
    }

    private Task<long> MutationsAsync(long tenantId, string result) =>
        topology.QueryScalarAsync<long>($"SELECT count(*) FROM sync_mutations WHERE tenant_id = {tenantId} AND result->>'status' = '{result}'");

    private Task<long> ServerOrdersAsync(long tenantId) => topology.QueryScalarAsync<long>($"SELECT count(*) FROM orders WHERE tenant_id = {tenantId}");
}
