using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace OrderHub.Testing;

/// <summary>
/// A sequence of answers on a WireMock.Net server, as one scenario: the first matching request gets the first answer
/// and moves the scenario on, the next the second, and past the end the last answer repeats (before any, a default).
/// One sequence may answer several routes (a v0 and a 2026-01-01 path), each step with an answer per route.
/// </summary>
public sealed class ScriptedSequence
{
    private readonly Lock _lock = new();
    private readonly WireMockServer _server;
    private readonly string _scenario;
    private readonly IReadOnlyList<(string Method, string PathPattern)> _routes;
    private readonly List<Guid> _mappings = [];
    private readonly List<Func<int, IResponseBuilder>> _steps = [];
    private readonly Guid[] _repeat;
    private Func<int, IResponseBuilder> _default;

    /// <summary>Initializes a new instance of the <see cref="ScriptedSequence"/> class and maps its default answer.</summary>
    /// <param name="server">The server.</param>
    /// <param name="scenario">The scenario's name, unique on the server.</param>
    /// <param name="routes">The method and path pattern (a regular expression) of each route the sequence answers.</param>
    /// <param name="defaultAnswer">The answer before any step is scripted, per route index.</param>
    public ScriptedSequence(WireMockServer server, string scenario, IReadOnlyList<(string Method, string PathPattern)> routes, Func<int, IResponseBuilder> defaultAnswer)
    {
        _server = server;
        _scenario = scenario;
        _routes = routes;
        _default = defaultAnswer;
        _repeat = [.. routes.Select(_ => Guid.NewGuid())];
        MapRepeat();
    }

    /// <summary>Gets how many steps are scripted.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _steps.Count;
            }
        }
    }

    /// <summary>Appends a step: the request after those already scripted gets it.</summary>
    /// <param name="answer">The answer, per route index.</param>
    public void Add(Func<int, IResponseBuilder> answer)
    {
        lock (_lock)
        {
            var step = _steps.Count;
            _steps.Add(answer);
            Map(step, answer);
            MapRepeat();
        }
    }

    /// <summary>Forgets every step and maps a new default; meant for before the first request.</summary>
    /// <param name="defaultAnswer">The answer before any step is scripted.</param>
    public void Reset(Func<int, IResponseBuilder> defaultAnswer)
    {
        lock (_lock)
        {
            foreach (var guid in _mappings)
            {
                _server.DeleteMapping(guid);
            }

            _mappings.Clear();
            _steps.Clear();
            _default = defaultAnswer;
            MapRepeat();
        }
    }

    private string State(int step) => $"{_scenario}-{step}";

    private IRequestBuilder Match(int route) =>
        Request.Create().WithPath(new RegexMatcher(_routes[route].PathPattern)).UsingMethod(_routes[route].Method);

    // Step n moves the scenario to state n + 1; the first step is the scenario's start.
    private void Map(int step, Func<int, IResponseBuilder> answer)
    {
        for (var route = 0; route < _routes.Count; route++)
        {
            var guid = Guid.NewGuid();
            _mappings.Add(guid);
            var given = _server.Given(Match(route)).WithGuid(guid).AtPriority(1).InScenario(_scenario);
            (step == 0 ? given : given.WhenStateIs(State(step))).WillSetStateTo(State(step + 1)).RespondWith(answer(route));
        }
    }

    // Past the script, its last answer (or the default, with none scripted) repeats.
    private void MapRepeat()
    {
        var last = _steps.Count == 0 ? _default : _steps[^1];
        for (var route = 0; route < _routes.Count; route++)
        {
            _server.DeleteMapping(_repeat[route]);
            var given = _server.Given(Match(route)).WithGuid(_repeat[route]).AtPriority(2);
            (_steps.Count == 0 ? given : given.InScenario(_scenario).WhenStateIs(State(_steps.Count))).RespondWith(last(route));
        }
    }
}
