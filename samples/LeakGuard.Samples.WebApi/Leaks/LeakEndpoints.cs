namespace LeakGuard.Samples.WebApi.Leaks;

/// <summary>
/// The leak controls: GET /leaks lists them; POST /leaks/{name}/start[?perSecond=N] starts one,
/// POST /leaks/{name}/stop stops its growth, DELETE /leaks/{name} lets go of what it holds (the fix).
/// </summary>
public static class LeakEndpoints
{
    public static void MapLeakEndpoints(this IEndpointRouteBuilder app)
    {
        var leaks = app.MapGroup("/leaks");
        leaks.MapGet("/", (LeakLab lab) => Results.Ok(lab.Leaks.Values.Select(l => Describe(lab, l))));

        leaks.MapPost("/{name}/start", (string name, int? perSecond, LeakLab lab) =>
        {
            if (!lab.Leaks.TryGetValue(name, out var leak))
            {
                return Unknown(name, lab);
            }

            var rate = perSecond ?? LeakLab.DefaultStepsPerSecond(leak.Name);
            if (rate is < 1 or > 10_000)
            {
                return Results.BadRequest(new { error = "Query parameter 'perSecond' must be between 1 and 10000." });
            }

            lab.Start(leak.Name, rate);
            return Results.Ok(Describe(lab, leak));
        });

        leaks.MapPost("/{name}/stop", (string name, LeakLab lab) =>
        {
            if (!lab.Leaks.TryGetValue(name, out var leak))
            {
                return Unknown(name, lab);
            }

            lab.Stop(leak.Name);
            return Results.Ok(Describe(lab, leak));
        });

        leaks.MapDelete("/{name}", (string name, LeakLab lab) =>
        {
            if (!lab.Leaks.TryGetValue(name, out var leak))
            {
                return Unknown(name, lab);
            }

            lab.Stop(leak.Name);
            leak.Release();
            return Results.Ok(Describe(lab, leak));
        });
    }

    private static IResult Unknown(string name, LeakLab lab) =>
        Results.NotFound(new { error = $"No leak named '{name}'. Known: {string.Join(", ", lab.Leaks.Keys)}." });

    private static object Describe(LeakLab lab, ILeak leak) => new
    {
        name = leak.Name,
        running = lab.IsRunning(leak.Name),
        stepsPerSecond = lab.Rate(leak.Name),
        held = leak.Held,
        description = leak.Description,
    };
}
