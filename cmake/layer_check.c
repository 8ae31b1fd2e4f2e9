/* Linked with one layer's whole library and only what that layer may use
 * (cmake/Layers.cmake); it builds only if the layer keeps to its place. */
int main(void)
{
	return 0;
}
