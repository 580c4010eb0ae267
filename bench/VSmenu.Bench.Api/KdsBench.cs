using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.Testing;
using PuppeteerSharp;
using VSmenu.Testing;

namespace VSmenu.Bench.Api;

/// <summary>
/// The kitchen display in Chromium against the whole topology: how long from the REST call that confirms an order to
/// its ticket in the page (the page stamps each ticket when it first appears, on the same clock), p50/p99 over
/// <c>orders</c> orders confirmed one at a time; then, with 200 tickets open, the page's JavaScript heap and its frames
/// while every column scrolls for three seconds.
/// </summary>
internal static class KdsBench
{
    private const string StampTickets = """
        window.__seen = {};
        new MutationObserver(() => {
          for (const ticket of document.querySelectorAll('.ticket')) {
            window.__seen[ticket.dataset.orderId] ??= Date.now();
          }
        }).observe(document.body, { childList: true, subtree: true });
        """;

    private const string ScrollColumns = """
        async () => {
          const lists = [...document.querySelectorAll('.tickets')];
          const frames = [];
          const start = performance.now();
          await new Promise((done) => {
            const step = (now) => {
              frames.push(now);
              const t = (now - start) / 3000;
              for (const list of lists) list.scrollTop = (list.scrollHeight - list.clientHeight) * (t < 0.5 ? t * 2 : 2 - t * 2);
              if (now - start < 3000) requestAnimationFrame(step); else done();
            };
            requestAnimationFrame(step);
          });
          const gaps = frames.slice(1).map((at, i) => at - frames[i]);
          return { frames: frames.length, longest: Math.max(...gaps), dropped: gaps.filter((gap) => gap > 1000 / 60 * 1.5).length, heap: performance.memory?.usedJSHeapSize ?? 0 };
        }
        """;

    public static async Task RunAsync(int orders)
    {
        await using var app = await VsmenuTopology.StartAsync(resourceLogs: null, BenchSettings.EdgeAtLoad, CancellationToken.None);
        var restaurant = await BenchRestaurant.SignUpAsync(app, clients: 2);
        var me = await restaurant.Http.GetFromJsonAsync<JsonElement>("/api/v1/auth/me");
        await using var browser = await Chromium.LaunchAsync();
        var page = await browser.OpenDeviceAsync(1920, 1080);
        await page.GoToAsync(app.GetEndpoint("web", "http").ToString());
        var token = restaurant.Http.DefaultRequestHeaders.Authorization!.Parameter;
        await page.EvaluateFunctionAsync("(token, user) => sessionStorage.setItem('vsmenu.session', JSON.stringify({ token, user }))", token, me.GetProperty("data").GetProperty("user"));
        await page.EvaluateExpressionAsync("location.hash = '#/kitchen'; location.reload()");
        await page.WaitForSelectorAsync("#connection[data-state=live]");
        await page.EvaluateExpressionAsync(StampTickets);

        // Warm the paths (first order, first fetch) outside the measure.
        await ConfirmAsync(restaurant, await CreateAsync(restaurant));
        var sent = new Dictionary<long, long>();
        for (var i = 0; i < orders; i++)
        {
            var id = await CreateAsync(restaurant);
            sent[id] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await ConfirmAsync(restaurant, id);
        }

        await page.WaitForFunctionAsync($"() => Object.keys(window.__seen).length >= {orders + 1}", new WaitForFunctionOptions { Timeout = 60_000 });
        var seen = await page.EvaluateExpressionAsync<Dictionary<string, long>>("window.__seen");
        var latencies = sent.Select(order => (double)(seen[order.Key.ToString(CultureInfo.InvariantCulture)] - order.Value)).Order().ToArray();
        Console.WriteLine($"confirm -> ticket visible, {orders} orders: p50 {Percentiles.Of(latencies, 0.5):0} ms, p99 {Percentiles.Of(latencies, 0.99):0} ms, max {latencies[^1]:0} ms (target p99 < 300 ms)");

        for (var open = orders + 1; open < 200; open++)
        {
            await ConfirmAsync(restaurant, await CreateAsync(restaurant));
        }

        await page.WaitForFunctionAsync("() => document.querySelectorAll('.ticket').length >= 200", new WaitForFunctionOptions { Timeout = 60_000 });
        var scroll = await page.EvaluateFunctionAsync<JsonElement>(ScrollColumns);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"200 tickets: JS heap {scroll.GetProperty("heap").GetDouble() / 1048576:0.0} MiB; scrolling 3 s: {scroll.GetProperty("frames").GetInt32()} frames, {scroll.GetProperty("dropped").GetInt32()} longer than 1.5 frames, longest {scroll.GetProperty("longest").GetDouble():0.0} ms (target: none dropped)"));
    }

    private static async Task<long> CreateAsync(BenchRestaurant restaurant) => (await restaurant.CreateOrderAsync())["id"]!.GetValue<long>();

    private static async Task ConfirmAsync(BenchRestaurant restaurant, long id)
    {
        using var response = await restaurant.Http.PatchAsJsonAsync($"/api/v1/orders/{id}", new { status = "confirmed" });
        response.EnsureSuccessStatusCode();
    }
}
