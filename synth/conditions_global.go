package synth

import (
	"fmt"
	"reflect"
	"slices"
)

// The engine version of an Aurora global database. Its members ignore their own engineVersion (the
// provider's documented pattern: terraform-provider-aws website/docs/r/rds_global_cluster.html.markdown,
// "Upgrading Engine Versions"), so a change of it shows in no diff of theirs, yet it says what the
// operator means: an upgrade. A major one cannot be done by pulumi up: AWS refuses it on a member
// ("Major Version Upgrade isn't supported in a single member of a global cluster. Use
// ModifyGlobalCluster to upgrade all the members.", terraform-provider-aws #28761), and through the
// global cluster it resets every member's parameter groups to the new version's defaults (RDS API
// ModifyGlobalCluster, AllowMajorVersionUpgrade), while the same pulumi up moves the members to
// parameter groups of the new family before the engine: AWS refuses those too.

// globalMajorUpgrade is what plan --from says of a major version change of a global database.
const globalMajorUpgrade = "engine version %s → %s is a major upgrade of a global database, which pulumi up cannot make: AWS upgrades a global database's major version only through the global cluster (ModifyGlobalCluster), and resets the members' parameter groups then; follow docs/database.md, \"Upgrading the engine of a global database\""

// ignoredConditions judge a change to an input a resource ignores (its ignoreChanges), where the
// change still means something the plan must say.
var ignoredConditions = map[string][]condition{
	"aws:rds/cluster:Cluster": {{
		input: "engineVersion",
		refused: func(old, new any, _ map[string]any) string {
			if o, n := str(old), str(new); o != "" && n != "" && majorVersion(o) != majorVersion(n) {
				return fmt.Sprintf(globalMajorUpgrade, o, n)
			}
			return ""
		},
		afterUpdate: func(old, new any, _ map[string]any) string {
			if o, n := str(old), str(new); o != "" && n != "" && majorVersion(o) == majorVersion(n) {
				return fmt.Sprintf("engine version %s → %s: a member of a global database ignores its own engineVersion; the upgrade goes through the global cluster (tierstack:dr globalEngineVersion %s), which upgrades every member, the secondaries first", o, n, n)
			}
			return ""
		},
	}},
}

func init() {
	// The global cluster's own engineVersion: a minor version moves in place (member by member);
	// a major one, or a downgrade, is refused as above.
	conditions["aws:rds/globalCluster:GlobalCluster"] = append(conditions["aws:rds/globalCluster:GlobalCluster"], condition{
		input: "engineVersion",
		refused: func(old, new any, _ map[string]any) string {
			o, n := str(old), str(new)
			switch {
			case o == "" || n == "":
				return ""
			case versionLess(n, o):
				return fmt.Sprintf("engine version %s → %s: AWS does not downgrade a global database", o, n)
			case majorVersion(o) != majorVersion(n):
				return fmt.Sprintf(globalMajorUpgrade, o, n)
			}
			return ""
		},
	})
}

// applyIgnoredConditions adds to c what ignoredConditions say of the inputs r ignores whose values
// differ between before and after (the inputs as recorded, ignored ones included). A change they
// flag is listed among c's keys, so that the plan shows it although pulumi preview would not.
func applyIgnoredConditions(c *Change, before, after map[string]any, ignored []string) {
	for _, cond := range ignoredConditions[c.Type] {
		if !slices.Contains(ignored, cond.input) {
			continue
		}
		old, new := before[cond.input], after[cond.input]
		if reflect.DeepEqual(old, new) {
			continue
		}
		flagged := false
		if cond.refused != nil {
			if why := cond.refused(old, new, after); why != "" {
				c.Refused = append(c.Refused, why)
				flagged = true
			}
		}
		if cond.afterUpdate != nil {
			if step := cond.afterUpdate(old, new, after); step != "" {
				c.AfterUpdate = append(c.AfterUpdate, step)
				flagged = true
			}
		}
		if flagged && !slices.Contains(c.Keys, cond.input) {
			c.Keys = append(c.Keys, cond.input)
			slices.Sort(c.Keys)
		}
	}
}
