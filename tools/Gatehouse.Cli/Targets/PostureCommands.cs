using System.CommandLine;
using Gatehouse.Cli.Auth;

namespace Gatehouse.Cli.Targets;

/// <summary>
/// <c>gatehouse targets posture [target]</c> and <c>gatehouse targets posture-override</c>: what each target's sshd told
/// the gateway and its findings, from the SessionBroker, which connects to the targets.
/// </summary>
public static class PostureCommands
{
    public static Command List(CliContext context)
    {
        var target = new Argument<string?>("target") { Description = "One target; all targets without it", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("posture",
            "Show each target's SSH server (version, offered algorithms, strict kex) and its findings, with the vulnerability table's date.")
        {
            target,
        };
        command.SetAction((parse, _) => ServiceCall.RunAsync(context, context.SessionBroker, client =>
            client.GetAsync(parse.GetValue(target) is { } one ? $"api/posture/{AuthorizationCalls.Escape(one)}" : "api/posture")));
        return command;
    }

    public static Command Override(CliContext context)
    {
        var target = new Argument<string>("target") { Description = "The target the posture policy refuses" };
        var reason = new Option<string>("--reason") { Description = "Why sessions must reach it anyway (recorded)", Required = true };
        var hours = new Option<int>("--hours") { Description = "For how long, 1 to 72 hours", DefaultValueFactory = _ => 4 };
        var command = new Command("posture-override",
            "Emergency: let new sessions reach a target the posture policy refuses, for some hours (users are still warned; audited).")
        {
            target, reason, hours,
        };
        command.SetAction((parse, _) => ServiceCall.RunAsync(context, context.SessionBroker, client => ServiceCall.PostJson(client,
            $"api/posture/{AuthorizationCalls.Escape(parse.GetValue(target))}/override",
            new { reason = parse.GetValue(reason), hours = parse.GetValue(hours) })));
        return command;
    }
}
