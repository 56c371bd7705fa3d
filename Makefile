# The two commands: `make run` (set up everything, start the service) and `make test` (every test).
.PHONY: deps agent build run test lint format test-contract test-agent test-server test-sdk test-console test-mcp test-hostile test-faults test-vm test-cluster admin-token bench

deps:
	bash scripts/deps.sh

agent: deps
	$(MAKE) -C kata-agent

build: agent
	mvn -B -q package -DskipTests

run: build
	bash scripts/run.sh

test: deps
	$(MAKE) lint
	$(MAKE) test-contract
	$(MAKE) test-agent
	$(MAKE) test-server
	$(MAKE) test-sdk
	$(MAKE) test-console
	$(MAKE) test-mcp
	$(MAKE) test-hostile
	$(MAKE) test-faults
	$(MAKE) test-vm
	$(MAKE) test-cluster

# formatting as the committed formatters decide (google-java-format through Spotless, kata-agent/.clang-format),
# no call cycle among the agent's files, bootstraps that parse
lint: agent
	mvn -B -q spotless:check
	$(MAKE) -C kata-agent lint

# applies both formatters
format:
	mvn -B -q spotless:apply
	$(MAKE) -C kata-agent format

# every copy of a status, a language, a limit or a retry delay agrees with its source (no build, no service: seconds)
test-contract:
	/usr/bin/python3 tests/contract/check_contract.py

test-agent: agent
	$(MAKE) -C kata-agent test

test-server: agent
	bash scripts/test-server.sh

test-sdk: build
	bash scripts/test-sdk.sh

# the web console in Debian's chromium (headless, through playwright-core) against the real service
test-console: build
	bash scripts/test-console.sh

# the MCP endpoint through the official TypeScript MCP client
test-mcp: build
	bash scripts/test-mcp.sh

test-hostile: build
	bash scripts/test-hostile.sh

test-faults: build
	bash scripts/test-faults.sh

# two service instances, two agents (one over TCP), HAProxy, one PostgreSQL: an instance and an agent die under load
test-cluster: build
	bash scripts/test-cluster.sh

# the agent in a QEMU guest (cgroup v2 only) over the network transport, then the service with its agent there
test-vm: build
	bash scripts/test-vm.sh

admin-token:
	@bash scripts/admin-token.sh

bench: build
	bash bench/run.sh
