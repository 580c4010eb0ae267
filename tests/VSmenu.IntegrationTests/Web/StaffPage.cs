using System.Collections.Concurrent;
using System.Text.Json;
using Aspire.Hosting.Testing;
using PuppeteerSharp;
using PuppeteerSharp.Input;
using VSmenu.IntegrationTests.Api;
using VSmenu.Testing;

namespace VSmenu.IntegrationTests.Web;

/// <summary>The web app as a member of staff uses it in one browser page: sign in, open a page, find and bump tickets.</summary>
public sealed class StaffPage
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<IRequest, DateTime> _inFlight = new();

    public StaffPage(IPage page)
    {
        Page = page;
        page.Request += (_, e) => _inFlight[e.Request] = DateTime.UtcNow;
        page.RequestFinished += (_, e) => _inFlight.TryRemove(e.Request, out DateTime _);
        page.RequestFailed += (_, e) => _inFlight.TryRemove(e.Request, out DateTime _);
    }

    public IPage Page { get; }

    public static async Task<StaffPage> SignInAsync(IBrowser browser, TopologyFixture topology, string email, string route = "#/kitchen")
    {
        var page = await OpenSignInAsync(browser, topology);
        await page.SubmitSignInAsync(email);
        await page.Page.WaitForSelectorAsync("#sign-out", Wait());
        await page.Page.EvaluateExpressionAsync($"location.hash = '{route}'");
        return page;
    }

    /// <summary>A new device on the web app's sign-in form.</summary>
    public static async Task<StaffPage> OpenSignInAsync(IBrowser browser, TopologyFixture topology)
    {
        var page = new StaffPage(await browser.OpenDeviceAsync());
        // A device of its own, as ApiSession's are: otherwise every page and terminal of the run signs in from 127.0.0.1
        // and together they pass the api's limit of 20 requests a minute per address without a token.
        await page.Page.SetExtraHttpHeadersAsync(new Dictionary<string, string> { ["X-Forwarded-For"] = ApiSession.UniqueClientAddress() });
        await page.Page.GoToAsync(new Uri(topology.App.GetEndpoint("web", "http"), "/").ToString());
        await page.Page.WaitForSelectorAsync("#email", Wait());
        return page;
    }

    public async Task SubmitSignInAsync(string email)
    {
        await Page.TypeAsync("#email", email);
        await Page.TypeAsync("#password", ApiSession.Password);
        await Page.ClickAsync("form.signin button[type=submit]");
    }

    /// <summary>Waits until the socket is live and the page, subscribed to its channels, has loaded what is open.</summary>
    public async Task WaitUntilLiveAsync()
    {
        await Page.WaitForSelectorAsync("#connection[data-state=live]", Wait());
        await Page.WaitForSelectorAsync("main[data-synced]", Wait());
    }

    /// <summary>The API token the tab keeps for its signed-in member of staff.</summary>
    public Task<string?> TokenAsync() => Page.EvaluateExpressionAsync<string?>("JSON.parse(sessionStorage.getItem('vsmenu.session'))?.token ?? null");

    public static string Ticket(long orderId, string? status = null) =>
        status is null ? $".ticket[data-order-id=\"{orderId}\"]" : $".ticket[data-order-id=\"{orderId}\"][data-status=\"{status}\"]";

    public Task WaitForTicketAsync(long orderId, string status, TimeSpan? patience = null) =>
        Page.WaitForSelectorAsync(Ticket(orderId, status), Wait(patience));

    public Task WaitForSelectorAsync(string selector) => Page.WaitForSelectorAsync(selector, Wait());

    public Task WaitUntilGoneAsync(string selector) =>
        Page.WaitForFunctionAsync("selector => !document.querySelector(selector)", new WaitForFunctionOptions { Timeout = (int)Patience.TotalMilliseconds }, selector);

    /// <summary>Waits until the element at <paramref name="selector"/> shows <paramref name="text"/> among its text.</summary>
    public Task WaitForTextAsync(string selector, string text) =>
        Page.WaitForFunctionAsync(
            "(selector, text) => document.querySelector(selector)?.textContent.includes(text)", new WaitForFunctionOptions { Timeout = (int)Patience.TotalMilliseconds }, selector, text);

    public async Task<bool> HasAsync(string selector) => await Page.QuerySelectorAsync(selector) is not null;

    public Task<string> TextAsync(string selector) => Page.EvaluateFunctionAsync<string>("selector => document.querySelector(selector).textContent", selector);

    /// <summary>Whether any of the element at <paramref name="selector"/> shows within the scrolling box at <paramref name="scroller"/>.</summary>
    public Task<bool> InViewAsync(string scroller, string selector) => Page.EvaluateFunctionAsync<bool>(
        """
        (scroller, selector) => {
          const view = document.querySelector(scroller).getBoundingClientRect();
          const box = document.querySelector(selector).getBoundingClientRect();
          return box.bottom > view.top && box.top < view.bottom;
        }
        """,
        scroller,
        selector);

    public Task ClickAsync(string selector, int clickCount = 1) => Page.ClickAsync(selector, new ClickOptions { Count = clickCount });

    /// <summary>Waits until no request of the page has been in flight for half a second; when that never comes, says which were.</summary>
    public async Task SettleAsync()
    {
        try
        {
            await Page.WaitForNetworkIdleAsync(new WaitForNetworkIdleOptions { IdleTime = 500, Timeout = (int)Patience.TotalMilliseconds });
        }
        catch (Exception timeout) when (timeout is TimeoutException or WaitTaskTimeoutException)
        {
            var pending = _inFlight.Select(request => $"{request.Key.Method} {request.Key.Url} ({request.Key.ResourceType}, since {request.Value:HH:mm:ss.fff})");
            throw new TimeoutException($"The page's network never went idle; in flight: {string.Join("; ", pending.DefaultIfEmpty("nothing the page reported"))}", timeout);
        }
    }

    /// <summary>axe-core's serious and critical violations on the page as it is now, one line each.</summary>
    public async Task<IReadOnlyList<string>> AccessibilityViolationsAsync()
    {
        var axe = RepositoryFiles.PathOf("src", "VSmenu.Web", "client", "node_modules", "axe-core", "axe.min.js");
        await Page.AddScriptTagAsync(new AddTagOptions { Path = axe });
        var violations = await Page.EvaluateFunctionAsync<JsonElement>(
            "async () => (await axe.run(document)).violations.filter(v => ['serious', 'critical'].includes(v.impact)).map(v => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).join(', ')})`)");
        return violations.EnumerateArray().Select(violation => violation.GetString()!).ToList();
    }

    /// <summary>Saves the page as a test artifact under <c>TestResults/screenshots</c>.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var directory = RepositoryFiles.PathOf("TestResults", "screenshots");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{name}.png");
        await Page.ScreenshotAsync(path);
        return path;
    }

    private static WaitForSelectorOptions Wait(TimeSpan? patience = null) => new() { Timeout = (int)(patience ?? Patience).TotalMilliseconds };
}
