namespace Gatehouse.Ssh.Tests.TestGateway;

/// <summary>
/// Load and timing tests run on their own after the rest: on two shared cores they would otherwise
/// starve, or be disturbed by, the tests running next to them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "Load and timing";
}
