using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Realtime.Gateway.Tests;

/// <summary>The embedded gateway's dashboard asks for the HTTP API's credentials: its key, or a token with the API role.</summary>
public sealed class DashboardAccessTests
{
    private static readonly string s_withRole = Tokens.Create("operator", claims: new Dictionary<string, object> { ["role"] = "realtime-api" });
    private static readonly string s_withoutRole = Tokens.Create("someone", claims: new Dictionary<string, object> { ["role"] = "user" });

    [Fact]
    public async Task WithTokenValidationOnlyTheDashboardWantsATokenWithTheApiRole()
    {
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string>
        {
            ["Realtime:Dashboard:Enabled"] = "true",
            ["Realtime:Auth:SigningKey"] = Tokens.Key,
        });
        using var http = new HttpClient { BaseAddress = server.HttpUri };

        using var none = await http.GetAsync("/dashboard/");
        using var noRole = await GetAsync(http, new AuthenticationHeaderValue("Bearer", s_withoutRole));
        using var forged = await GetAsync(http, new AuthenticationHeaderValue("Bearer", Tokens.WithoutSignature("operator")));
        using var basic = await GetAsync(http, Basic("anything"));
        using var allowed = await GetAsync(http, new AuthenticationHeaderValue("Bearer", s_withRole));

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Contains("Basic", none.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, noRole.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, basic.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task WithAKeyAndTokensEitherOpensTheDashboard()
    {
        const string key = "dashboard-access-key";
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string>
        {
            ["Realtime:Dashboard:Enabled"] = "true",
            ["Realtime:Api:Key"] = key,
            ["Realtime:Auth:SigningKey"] = Tokens.Key,
        });
        using var http = new HttpClient { BaseAddress = server.HttpUri };

        using var byBasic = await GetAsync(http, Basic(key));
        using var byHeader = await SendAsync(http, new HttpRequestMessage(HttpMethod.Get, "/dashboard/") { Headers = { { "X-Api-Key", key } } });
        using var byToken = await GetAsync(http, new AuthenticationHeaderValue("Bearer", s_withRole));
        using var wrongKey = await GetAsync(http, Basic("not-the-key"));

        Assert.Equal(HttpStatusCode.OK, byBasic.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byHeader.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byToken.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
    }

    [Fact]
    public async Task WithNoCredentialsConfiguredTheDashboardIsOpen()
    {
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string> { ["Realtime:Dashboard:Enabled"] = "true" });
        using var http = new HttpClient { BaseAddress = server.HttpUri };

        using var open = await http.GetAsync("/dashboard/");

        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
    }

    private static Task<HttpResponseMessage> GetAsync(HttpClient http, AuthenticationHeaderValue authorization)
        => SendAsync(http, new HttpRequestMessage(HttpMethod.Get, "/dashboard/") { Headers = { Authorization = authorization } });

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request)
    {
        using (request)
        {
            return await http.SendAsync(request);
        }
    }

    private static AuthenticationHeaderValue Basic(string password)
        => new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("operator:" + password)));
}
