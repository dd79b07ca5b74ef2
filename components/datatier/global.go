package datatier

// GlobalIgnoredFields are the cluster inputs that AWS changes through an Aurora global database
// and that a member cluster must therefore ignore: the provider reads globalClusterIdentifier
// into the primary's state once a global cluster is built from it (left unset in config, the next
// update would call RemoveFromGlobalCluster), a switchover sets replicationSourceIdentifier on the
// demoted cluster, and engine upgrades go through the global cluster's engineVersion
// (terraform-provider-aws website/docs/r/rds_global_cluster.html.markdown, "New Global Cluster
// From Existing DB Cluster" and "Upgrading Engine Versions": both use lifecycle ignore_changes on
// these fields).
func GlobalIgnoredFields() []string {
	return []string{"globalClusterIdentifier", "replicationSourceIdentifier", "engineVersion"}
}

// globalIgnored is what a shard's cluster ignores: GlobalIgnoredFields when it is the primary of a
// global database, nothing otherwise, so that a stack without a DR region keeps upgrading its
// engine through its own engineVersion.
func globalIgnored(global bool) []string {
	if !global {
		return nil
	}
	return GlobalIgnoredFields()
}

// GlobalSource is what a secondary cluster in another region copies from the tier: the engine and
// version, and the cluster parameter group's family and parameters (AWS requires the same engine
// and version in every member; identical parameters keep a promoted secondary behaving as the
// primary did).
type GlobalSource struct {
	// Engine is the engine.
	Engine Engine
	// EngineVersion is the engine version.
	EngineVersion string
	// ParameterFamily is the cluster parameter group family.
	ParameterFamily string
	// Parameters are the cluster parameters, name and value, sorted by name.
	Parameters [][2]string
	// MinACU and MaxACU are the primary's Serverless v2 range.
	MinACU, MaxACU float64
	// Port is the engine's port.
	Port int
}

// GlobalSource returns what a secondary cluster copies from the tier.
func (d *DataTier) GlobalSource() (GlobalSource, error) {
	family, err := ParameterGroupFamily(d.args.Engine, d.args.EngineVersion)
	if err != nil {
		return GlobalSource{}, err
	}
	return GlobalSource{
		Engine: d.args.Engine, EngineVersion: d.args.EngineVersion, ParameterFamily: family,
		Parameters: parameters(d.args.Engine, d.args.TimeZone, d.args.Parameters),
		MinACU:     d.args.MinACU, MaxACU: d.args.MaxACU, Port: d.port,
	}, nil
}
