using PuppeteerSharp;
using VSmenu.IntegrationTests.Api;

namespace VSmenu.IntegrationTests.Web;

/// <summary>A restaurant signed up with a menu, and one member of its staff signed in on a device with the page live.</summary>
public sealed class StaffScene(ApiSession owner, ApiSession staff, ApiSession.Menu menu, StaffPage page) : IDisposable
{
    public ApiSession Owner { get; } = owner;

    public ApiSession Staff { get; } = staff;

    public ApiSession.Menu Menu { get; } = menu;

    public StaffPage Page { get; } = page;

    public static async Task<StaffScene> OpenAsync(
        TopologyFixture topology, IBrowser browser, string role = "kitchen", string route = "#/kitchen", decimal price = 20m)
    {
        var owner = await ApiSession.RegisterAsync(topology);
        var staff = await owner.AddStaffAsync(role);
        var menu = await owner.CreateMenuAsync(price);
        var page = await StaffPage.SignInAsync(browser, topology, staff.Email, route);
        await page.WaitUntilLiveAsync();
        return new StaffScene(owner, staff, menu, page);
    }

    /// <summary>Another device signed in as the same member of staff, live.</summary>
    public async Task<StaffPage> OpenAnotherDeviceAsync(TopologyFixture topology, IBrowser browser, string route = "#/kitchen")
    {
        var page = await StaffPage.SignInAsync(browser, topology, Staff.Email, route);
        await page.WaitUntilLiveAsync();
        return page;
    }

    public void Dispose()
    {
        Staff.Dispose();
        Owner.Dispose();
    }
}
