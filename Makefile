# Convenience targets around the scripts the README names.
.PHONY: all demo test bench clean

all:
	bash scripts/build.sh build

demo:
	bash scripts/demo.sh

test:
	bash scripts/test.sh

bench:
	bash bench/run.sh

clean:
	rm -rf build build-asan
