using Microsoft.AspNetCore.Http;

namespace LeakGuard.AspNetCore.Endpoints;

/// <summary>Serves the self-contained dashboard page.</summary>
internal static class PageEndpoint
{
    /// <summary>Writes the page (its headers alone for HEAD) with a content security policy that allows nothing from outside.</summary>
    /// <param name="context">The request.</param>
    /// <param name="state">The mapping's state.</param>
    /// <returns>A task that completes when the page is written.</returns>
    public static Task Handle(HttpContext context, DashboardState state)
    {
        var response = context.Response;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.ContentSecurityPolicy = state.Page.ContentSecurityPolicy;
        response.Headers.XFrameOptions = "DENY";
        response.ContentLength = state.Page.Html.Length;
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return Task.CompletedTask;
        }

        return response.Body.WriteAsync(state.Page.Html, context.RequestAborted).AsTask();
    }
}
