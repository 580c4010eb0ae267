using PuppeteerSharp;

namespace VSmenu.Testing;

/// <summary>
/// Debian's Chromium, headless (a browser cannot be downloaded here), for the browser tests and the kitchen display's
/// benchmark. <c>CHROMIUM_PATH</c> overrides where it is.
/// </summary>
public static class Chromium
{
    public static string ExecutablePath => Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static async Task<IBrowser> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"Chromium is not at {ExecutablePath}: install it (apt-get install chromium) or set CHROMIUM_PATH.");
        }

        return await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            // Root in CI has no user namespace for Chromium's sandbox; /dev/shm is small on CI machines.
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--autoplay-policy=no-user-gesture-required"],
        });
    }

    /// <summary>A new device: its own cookies and storage, at 1280×800 (a kitchen tablet) unless told otherwise.</summary>
    public static async Task<IPage> OpenDeviceAsync(this IBrowser browser, int width = 1280, int height = 800)
    {
        var context = await browser.CreateBrowserContextAsync();
        var page = await context.NewPageAsync();
        await page.SetViewportAsync(new ViewPortOptions { Width = width, Height = height });
        return page;
    }
}
