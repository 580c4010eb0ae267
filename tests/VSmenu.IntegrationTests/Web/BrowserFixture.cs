using PuppeteerSharp;
using VSmenu.Testing;

namespace VSmenu.IntegrationTests.Web;

/// <summary>One Chromium per test class; each test opens its own devices (incognito contexts), each with its own sign-in.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Chromium has not started.");

    public async ValueTask InitializeAsync() => _browser = await Chromium.LaunchAsync();

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
            _browser.Dispose();
        }
    }
}
