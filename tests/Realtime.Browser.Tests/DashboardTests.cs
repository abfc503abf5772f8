using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Realtime.Browser.Tests;

/// <summary>The Orleans Dashboard on the embedded gateway, behind the HTTP API's key.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardTests(HeadlessChromium chromium)
{
    private const string Key = "dashboard-test-key";

    [Fact]
    public async Task TheDashboardOpensInABrowserWithTheApiKeyAndNotWithout()
    {
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string>
        {
            ["Realtime:Dashboard:Enabled"] = "true",
            ["Realtime:Api:Key"] = Key,
        });
        await using var member = await server.ConnectAsync();
        await member.JoinAsync(TestIds.Room());
        var dashboard = new Uri(server.HttpUri, "/dashboard/");
        using var http = new HttpClient();

        using var refused = await http.GetAsync(dashboard);
        using var wrong = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, dashboard) { Headers = { Authorization = Basic("not-the-key") } });
        using var allowed = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, dashboard) { Headers = { Authorization = Basic(Key) } });

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("Basic", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);

        await using var page = await chromium.OpenAsync(dashboard, new HttpCredentials { Username = "operator", Password = Key });
        await Assertions.Expect(page.Page).ToHaveTitleAsync("Orleans Dashboard");
        await Assertions.Expect(page.Page.GetByText("Active Silos")).ToBeVisibleAsync();
        await page.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(RepoPaths.Artifacts("screenshots"), "dashboard.png") });

        // The grains view lists the realtime grains the join activated.
        await page.Page.GetByRole(AriaRole.Link, new() { Name = "Grains", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Page.GetByText("RoomGrain").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        page.AssertNoErrors();
    }

    private static AuthenticationHeaderValue Basic(string password)
        => new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("operator:" + password)));
}
