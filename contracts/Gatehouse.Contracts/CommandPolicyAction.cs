namespace Gatehouse.Contracts;

/// <summary>What the gateway does with a command that matches a command policy.</summary>
public enum CommandPolicyAction
{
    Deny,
    RequireApproval,
}
