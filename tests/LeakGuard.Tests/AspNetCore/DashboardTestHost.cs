using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using LeakGuard.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LeakGuard.Tests.AspNetCore;

/// <summary>An in-memory ASP.NET Core application with MapLeakGuard over a fake monitor.</summary>
internal sealed class DashboardTestHost : IAsyncDisposable
{
    public const string Prefix = "/leakguard";

    private readonly WebApplication _app;

    private DashboardTestHost(WebApplication app, HttpClient client)
    {
        _app = app;
        Client = client;
    }

    public HttpClient Client { get; }

    public static readonly DateTimeOffset Start = new(2026, 11, 24, 6, 0, 0, TimeSpan.Zero);

    public static async Task<DashboardTestHost> StartAsync(
        ILeakMonitor monitor,
        FakeTimeProvider time,
        IPAddress? remote = null,
        bool requireAuthorization = false,
        Action<LeakGuardDashboardOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<ILeakMonitor>(monitor);
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddAuthentication(TestAuthHandler.SchemeName).AddScheme<AuthenticationSchemeOptions, TestAuthHandler>(TestAuthHandler.SchemeName, null);
        builder.Services.AddAuthorization();
        var app = builder.Build();
        var address = remote ?? IPAddress.Loopback;
        app.Use((context, next) =>
        {
            context.Connection.RemoteIpAddress = address;
            return next(context);
        });
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        var mapping = app.MapLeakGuard(Prefix, configure);
        if (requireAuthorization)
        {
            mapping.RequireAuthorization();
        }

        await app.StartAsync();
        var client = app.GetTestClient();
        client.BaseAddress = new Uri("http://localhost");
        return new DashboardTestHost(app, client);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }

    /// <summary>Authenticates requests that carry <c>Authorization: Test ok</c>; challenges with 401 otherwise.</summary>
    private sealed class TestAuthHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string SchemeName = "Test";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (Request.Headers.Authorization.ToString() != "Test ok")
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "operator")], SchemeName);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
        }
    }
}
