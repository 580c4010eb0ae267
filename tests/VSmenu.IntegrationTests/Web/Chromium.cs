using PuppeteerSharp;

namespace VSmenu.IntegrationTests.Web;

/// <summary>
/// Debian's Chromium (a browser cannot be downloaded here), headless, shared by a test class; each test opens its own
/// incognito contexts, so that two pages are two devices with their own sign-in. <c>CHROMIUM_PATH</c> overrides where
/// it is.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    private IBrowser? _browser;

    public static string ExecutablePath => Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public async ValueTask InitializeAsync()
    {
        Assert.True(File.Exists(ExecutablePath), $"Chromium is not at {ExecutablePath}: install it (apt-get install chromium) or set CHROMIUM_PATH.");
        _browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            // Root in CI has no user namespace for Chromium's sandbox; /dev/shm is small on CI machines.
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--autoplay-policy=no-user-gesture-required"],
        });
    }

    /// <summary>A new device: its own cookies and storage, at 1280×800 (a kitchen tablet).</summary>
    public async Task<IPage> OpenDeviceAsync(int width = 1280, int height = 800)
    {
        var context = await _browser!.CreateBrowserContextAsync();
        var page = await context.NewPageAsync();
        await page.SetViewportAsync(new ViewPortOptions { Width = width, Height = height });
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
            _browser.Dispose();
        }
    }
}
