using Gatehouse.Authorization.AccessRequests.ApprovingRequest;
using Gatehouse.Authorization.AccessRequests.DenyingRequest;
using Gatehouse.Authorization.AccessRequests.ListingRequests;
using Gatehouse.Authorization.AccessRequests.RequestingAccess;
using Gatehouse.Authorization.CommandPolicies.ListingPolicies;
using Gatehouse.Authorization.CommandPolicies.RemovingPolicy;
using Gatehouse.Authorization.CommandPolicies.SettingPolicy;
using Gatehouse.Authorization.Grants.IssuingGrant;
using Gatehouse.Authorization.Roles.ChangingMembers;
using Gatehouse.Authorization.Roles.DefiningRole;
using Gatehouse.Authorization.Roles.ListingRoles;
using Gatehouse.Authorization.Grants.ListingGrants;
using Gatehouse.Authorization.Grants.RevokingGrant;
using Gatehouse.Authorization.Targets.ChangingTarget;
using Gatehouse.Authorization.Targets.ListingTargets;
using Gatehouse.Authorization.Targets.PinningHostKey;
using Gatehouse.Authorization.Targets.RegisteringTarget;
using Gatehouse.Authorization.Targets.RemovingTarget;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.Http;
using Gatehouse.ServiceDefaults.Security;

namespace Gatehouse.Authorization.Api;

public static class AdminApi
{
    /// <summary>
    /// The admin HTTP API under /api. Every route needs a valid token; the policy each group needs is set here and
    /// nowhere else, so no endpoint can be mapped without one.
    /// </summary>
    public static WebApplication MapAuthorizationApi(this WebApplication app)
    {
        var api = app.MapGroup("/api").RequireAuthorization();

        var admin = api.MapGroup("").RequireAuthorization(GatehousePolicies.Admin).RecordRefusedChanges(Refused);
        RegisterTarget.Map(admin);
        ChangeTarget.Map(admin);
        RemoveTarget.Map(admin);
        ListTargets.Map(admin);
        PinHostKey.Map(admin);
        DefineRole.Map(admin);
        ChangeRoleMembers.Map(admin);
        ListRoles.Map(admin);
        IssueGrant.Map(admin);
        RevokeGrant.Map(admin);
        ListGrants.Map(admin);
        SetCommandPolicy.Map(admin);
        RemoveCommandPolicy.Map(admin);
        ListCommandPolicies.Map(admin);

        // Any signed-in user may ask for access for themselves and see their own requests.
        RequestAccess.Map(api);
        ListAccessRequests.Map(api);

        var approvers = api.MapGroup("").RequireAuthorization(GatehousePolicies.Approver);
        ApproveAccessRequest.Map(approvers);
        DenyAccessRequest.Map(approvers);
        return app;
    }

    private static AccessChangeRefused Refused(RefusedChange refused) => new(refused.Change, refused.Subject, refused.Reason, refused.CallerRoles,
        refused.Caller.Name, refused.Caller.SourceAddress, refused.Caller.CorrelationId, refused.Caller.NewEventId(), refused.Caller.Now);
}
